using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alternance.Data;
using Xunit.Abstractions;

namespace Alternance.Hosting.Tests;

/// <summary>
/// Faults on the deployed topology (<see cref="AzureCluster"/>: 3 silos, 2 client-mode API nodes, Azure Table
/// membership and Azure Blob grain state on Azurite, each a real process): a silo killed under a steady load of
/// searches and offer writes, and every process stopped and started again.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed partial class ClusterFaultTests(ClusterFixture shared, ITestOutputHelper output)
{
    /// <summary>Where the offers are posted and searched: big cities, so their cells are spread over the silos.</summary>
    private static readonly (string City, double Lat, double Lon)[] Places =
    [
        ("Paris", 48.8566, 2.3522), ("Lyon", 45.7640, 4.8357), ("Marseille", 43.2965, 5.3698), ("Lille", 50.6292, 3.0573),
        ("Toulouse", 43.6047, 1.4442), ("Bordeaux", 44.8378, -0.5792), ("Nantes", 47.2184, -1.5536), ("Strasbourg", 48.5734, 7.7521),
    ];

    private static readonly Lazy<ReferenceData> Reference = new(ReferenceData.Load);

    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_silo_killed_under_load_loses_no_accepted_offer_and_no_search_goes_unanswered()
    {
        await using AzureCluster cluster = await AzureCluster.StartAsync(shared.Feeds);
        var (appellation, rome) = Appellation();
        var establishments = new List<(string Id, double Lat, double Lon)>();
        foreach (var place in Places)
        {
            establishments.Add((await CreateEstablishment(cluster.Apis[establishments.Count % 2], place.Lat, place.Lon), place.Lat, place.Lon));
        }

        // A steady load on both API nodes: 10 searches and 2 offers a second, each request on its own (none waits for
        // another), for 45 s; silo 2 is killed 5 s in.
        var outcomes = new ConcurrentBag<Outcome>();
        var running = new List<Task>();
        var clock = Stopwatch.StartNew();
        TimeSpan duration = TimeSpan.FromSeconds(45), killAt = TimeSpan.FromSeconds(5);
        TimeSpan? killed = null;
        int tick = 0;
        while (clock.Elapsed < duration)
        {
            if (killed is null && clock.Elapsed >= killAt)
            {
                cluster.KillSilo(1);
                killed = clock.Elapsed;
            }
            HttpClient api = cluster.Apis[tick % 2];
            var place = Places[tick % Places.Length];
            running.Add(Search(api, SearchUrl(place.Lat, place.Lon, rome, tick), clock, outcomes));
            if (tick % 5 == 0)
            {
                var establishment = establishments[(tick / 5) % establishments.Count];
                running.Add(PostOffer(api, establishment, appellation, clock, outcomes));
            }
            tick++;
            TimeSpan next = TimeSpan.FromMilliseconds(100 * tick);
            if (next > clock.Elapsed) await Task.Delay(next - clock.Elapsed);
        }
        await Task.WhenAll(running);

        Outcome[] all = [.. outcomes.OrderBy(o => o.Started)];
        Outcome[] searches = [.. all.Where(o => o.Kind == "search")];
        Outcome[] writes = [.. all.Where(o => o.Kind == "offer")];
        Outcome[] failed = [.. all.Where(o => !o.Complete)];
        TimeSpan recovery = failed.Length == 0 ? TimeSpan.Zero : failed.Max(o => o.Started) - killed!.Value;
        Outcome[] accepted = [.. writes.Where(o => o.Status == HttpStatusCode.Created)];

        // Every accepted offer is there afterwards, by id on both nodes and in a search around its establishment: once the
        // cluster answers in full again (how soon is the recovery, asserted below).
        await WaitUntilServing(cluster, rome);
        int lost = 0;
        var missing = new List<string>();
        foreach (Outcome offer in accepted)
        {
            bool found = true;
            foreach (HttpClient api in cluster.Apis)
            {
                using HttpResponseMessage byId = await api.GetAsync($"/api/v1/jobs/matcha/{offer.JobId}?caller=fault-tests");
                found &= byId.StatusCode == HttpStatusCode.OK;
            }
            found &= await Listed(cluster.Apis[0], offer.JobId!, rome, offer.Lat, offer.Lon);
            if (!found) { lost++; missing.Add(offer.JobId!); }
        }

        string report = string.Join("\n",
            $"requests sent: {all.Length} ({searches.Length} searches, {writes.Length} offer writes) over {duration.TotalSeconds:0} s, silo 2 killed at {killed!.Value.TotalSeconds:0.0} s",
            $"searches: {searches.Count(o => o.Complete)} complete, {searches.Count(o => o.Partial)} partial (a source said unavailable), {searches.Count(o => o.Status != HttpStatusCode.OK)} failed; statuses {Statuses(searches)}",
            $"offer writes: {accepted.Length} accepted (201), {writes.Length - accepted.Length} refused; statuses {Statuses(writes)}",
            $"failed or partial: {failed.Length} of {all.Length} ({100.0 * failed.Length / all.Length:0.0} %); accepted offers lost: {lost}",
            $"recovery: the last failed or partial request started {recovery.TotalSeconds:0.0} s after the kill",
            $"latency of searches (ms): p50 {Percentile(searches, 0.5):0} p99 {Percentile(searches, 0.99):0} max {searches.Max(o => o.Elapsed.TotalMilliseconds):0}");
        output.WriteLine(report);

        Assert.True(lost == 0, $"accepted offers lost: {string.Join(", ", missing)}\n{report}");
        // Every search was answered: complete, or saying which source was unavailable (in its slot; a route of one
        // source answers that source's error with a 503 and Retry-After).
        Assert.All(searches, o => Assert.True(o.Status == HttpStatusCode.OK || o is { Status: HttpStatusCode.ServiceUnavailable, Partial: true, RetryAfter: true },
            $"search answered {(int)o.Status}: {o.Body}\n{report}"));
        // A write is accepted or refused with a status that says so (the client retries a 503); never a 500.
        Assert.All(writes, o => Assert.True(o.Status == HttpStatusCode.Created || o is { Status: HttpStatusCode.ServiceUnavailable, RetryAfter: true },
            $"offer write answered {(int)o.Status}: {o.Body}\n{report}"));
        Assert.True(accepted.Length > writes.Length / 2, report);
        Assert.True(recovery <= RecoveryBound, report);
        // And it did recover: the last stretch of the run (after the bound) saw no failure at all, on both nodes.
        Assert.Contains(all, o => o.Started > killed.Value + RecoveryBound);
    }

    [Fact]
    public async Task Every_feed_offer_application_and_appointment_is_back_after_every_process_is_stopped_and_started_again()
    {
        await using AzureCluster cluster = await AzureCluster.StartAsync(shared.Feeds);
        HttpClient api = cluster.Apis[0];
        var (appellation, rome) = Appellation();

        // Offers, by two API nodes.
        var offers = new List<(string Id, double Lat, double Lon)>();
        foreach (var place in Places[..4])
        {
            string establishment = await CreateEstablishment(cluster.Apis[offers.Count % 2], place.Lat, place.Lon);
            using HttpResponseMessage posted = await cluster.Apis[offers.Count % 2].SendAsync(OfferRequest(establishment, appellation));
            offers.Add((await JobId(posted), place.Lat, place.Lon));
        }
        // Applications: three to one offer by one applicant (the most the quota lets through).
        string applicant = $"candidat-{Guid.NewGuid():N}@example.org";
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage applied = await api.PostAsync("/api/v1/application", Json(Application(applicant, offers[0].Id)));
            Assert.True(applied.StatusCode == HttpStatusCode.OK, await applied.Content.ReadAsStringAsync());
        }
        // An appointment request to a training that takes them, and the reply token its centre was sent.
        string training = await TrainingTakingRequests(api);
        string candidate = $"lea-{Guid.NewGuid():N}@example.org";
        string appointmentId;
        using (HttpResponseMessage requested = await api.PostAsync("/api/appointment-request/validate", Json(Appointment(training, candidate))))
        {
            string text = await requested.Content.ReadAsStringAsync();
            Assert.True(requested.StatusCode == HttpStatusCode.OK, text);
            appointmentId = JsonDocument.Parse(text).RootElement.GetProperty("appointment").GetProperty("_id").GetString()!;
        }
        string token = ReplyToken(cluster.MailFolder, appointmentId);

        // What the feeds answer now, byte for byte.
        string[] queries =
        [
            .. Places.Select(p => Invariant($"/api/v1/jobs?romes={rome},M1607,D1102&latitude={p.Lat}&longitude={p.Lon}&radius=100&caller=fault-tests")),
            .. Places.Select(p => Invariant($"/api/v1/formations?romes={rome},M1607,D1102&latitude={p.Lat}&longitude={p.Lon}&radius=100&caller=fault-tests")),
            "/api/v1/formationsParRegion?romes=M1607,D1102&departement=75&caller=fault-tests",
        ];
        var before = new List<string>();
        foreach (string query in queries) before.Add(await Body(api, query));

        var stopped = await cluster.StopAllAsync();
        Assert.All(stopped, s => Assert.True(s.ExitCode == 0, $"{s.Name} exited with {s.ExitCode?.ToString() ?? "nothing within 60 s"}\n{s.Transcript}"));
        await cluster.StartSilosAsync();
        await cluster.StartApisAsync();

        // Feeds: the same answers, on both nodes.
        foreach (HttpClient node in cluster.Apis)
        {
            for (int q = 0; q < queries.Length; q++) Assert.Equal(before[q], await Body(node, queries[q]));
        }
        // Offers: by id and in a search.
        foreach (var offer in offers)
        {
            using HttpResponseMessage byId = await cluster.Apis[1].GetAsync($"/api/v1/jobs/matcha/{offer.Id}?caller=fault-tests");
            Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
            Assert.True(await Listed(cluster.Apis[0], offer.Id, rome, offer.Lat, offer.Lon), offer.Id);
        }
        // Applications: the three are remembered, so a fourth to the same offer is over the quota.
        using (HttpResponseMessage fourth = await cluster.Apis[1].PostAsync("/api/v1/application", Json(Application(applicant, offers[0].Id))))
        {
            string text = await fourth.Content.ReadAsStringAsync();
            Assert.True(fourth.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains("TOO_MANY_APPLICATIONS_PER_OFFER", text);
        }
        // Appointments: the pending request is remembered (a second one is refused) and its centre can still reply.
        using (HttpResponseMessage again = await cluster.Apis[1].PostAsync("/api/appointment-request/validate", Json(Appointment(training, candidate))))
        {
            string text = await again.Content.ReadAsStringAsync();
            Assert.True(again.StatusCode == HttpStatusCode.BadRequest, text);
            Assert.Contains("est actuellement en cours de traitement", text);
        }
        using var reply = new HttpRequestMessage(HttpMethod.Post, "/api/appointment-request/reply")
        {
            Content = Json(new { appointment_id = appointmentId, cfa_intention_to_applicant = "personalised_answer", cfa_message_to_applicant = "Venez mardi." }),
        };
        reply.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage replied = await cluster.Apis[0].SendAsync(reply);
        Assert.True(replied.StatusCode == HttpStatusCode.OK, await replied.Content.ReadAsStringAsync());
    }

    /// <summary>Until a wide search answers complete on both API nodes (a minute at most).</summary>
    private static async Task WaitUntilServing(AzureCluster cluster, string rome)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            bool complete = true;
            foreach (HttpClient api in cluster.Apis)
            {
                using HttpResponseMessage response = await api.GetAsync(SearchUrl(Places[0].Lat, Places[0].Lon, rome, 2));
                complete &= response.StatusCode == HttpStatusCode.OK && !(await response.Content.ReadAsStringAsync()).Contains("\"result\":\"error\"", StringComparison.Ordinal);
            }
            if (complete) return;
            await Task.Delay(500);
        }
    }

    private sealed record Outcome(string Kind, TimeSpan Started, TimeSpan Elapsed, HttpStatusCode Status, bool Partial, string? Body)
    {
        public string? JobId { get; init; }
        public double Lat { get; init; }
        public double Lon { get; init; }
        public bool RetryAfter { get; init; }

        /// <summary>Answered in full: a search with every source, an accepted offer.</summary>
        public bool Complete => Kind == "search" ? Status == HttpStatusCode.OK && !Partial : Status == HttpStatusCode.Created;
    }

    private static async Task Search(HttpClient api, string url, Stopwatch clock, ConcurrentBag<Outcome> outcomes)
    {
        TimeSpan started = clock.Elapsed;
        try
        {
            using HttpResponseMessage response = await api.GetAsync(url);
            string body = await response.Content.ReadAsStringAsync();
            // A source that could not answer says so in its slot: {"result":"error","error":"error","message":…}.
            bool partial = body.Contains("\"result\":\"error\"", StringComparison.Ordinal);
            outcomes.Add(new Outcome("search", started, clock.Elapsed - started, response.StatusCode, partial, partial || response.StatusCode != HttpStatusCode.OK ? body : null)
            {
                RetryAfter = response.Headers.RetryAfter is not null,
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            outcomes.Add(new Outcome("search", started, clock.Elapsed - started, 0, false, e.Message));
        }
    }

    private static async Task PostOffer(HttpClient api, (string Id, double Lat, double Lon) establishment, string appellation, Stopwatch clock, ConcurrentBag<Outcome> outcomes)
    {
        TimeSpan started = clock.Elapsed;
        try
        {
            using HttpResponseMessage response = await api.SendAsync(OfferRequest(establishment.Id, appellation));
            string body = await response.Content.ReadAsStringAsync();
            string? jobId = response.StatusCode == HttpStatusCode.Created ? LastJobId(body) : null;
            outcomes.Add(new Outcome("offer", started, clock.Elapsed - started, response.StatusCode, false, jobId is null ? body : null)
            {
                JobId = jobId, Lat = establishment.Lat, Lon = establishment.Lon, RetryAfter = response.Headers.RetryAfter is not null,
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            outcomes.Add(new Outcome("offer", started, clock.Elapsed - started, 0, false, e.Message));
        }
    }

    private static string SearchUrl(double lat, double lon, string rome, int tick) => (tick % 3) switch
    {
        0 => Invariant($"/api/v1/jobs?romes={rome},M1607,D1102&latitude={lat}&longitude={lon}&radius=60&caller=fault-tests"),
        1 => Invariant($"/api/v1/formations?romes=M1607,D1102,{rome}&latitude={lat}&longitude={lon}&radius=100&caller=fault-tests"),
        // Wide: cells on every silo.
        _ => Invariant($"/api/v1/jobsEtFormations?romes={rome},M1607&latitude={lat}&longitude={lon}&radius=200&caller=fault-tests"),
    };

    private static (string Code, string Rome) Appellation()
    {
        var a = Reference.Value.Appellations.First(x => Reference.Value.FindRome(x.RomeCode) is not null);
        return (a.CodeOgr, a.RomeCode);
    }

    private static async Task<string> CreateEstablishment(HttpClient api, double lat, double lon)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs/establishment")
        {
            Content = Json(new
            {
                establishment_siret = Alternance.Testing.TestSirets.New(), first_name = "Jeanne", last_name = "Martin", phone = "0612345678",
                email = $"rh-{Guid.NewGuid():N}@entreprise.example", origin = "fault-tests",
                geo_coordinates = Invariant($"{lat},{lon}"), establishment_raison_sociale = "Boulangerie des pannes",
            }),
        };
        request.Headers.Add("x-api-key", AzureCluster.PartnerKey);
        using HttpResponseMessage response = await api.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("establishment_id").GetString()!;
    }

    private static HttpRequestMessage OfferRequest(string establishmentId, string appellation)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/jobs/{establishmentId}")
        {
            Content = Json(new Dictionary<string, object>
            {
                ["appellation_code"] = appellation,
                ["job_level_label"] = "BTS, DEUST, autres formations niveau (Bac+2)",
                ["job_start_date"] = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["job_type"] = new[] { "Apprentissage" },
                ["job_duration"] = 12,
                ["job_description"] = "Une description de poste qui dépasse bien les trente caractères.",
            }),
        };
        request.Headers.Add("x-api-key", AzureCluster.PartnerKey);
        return request;
    }

    private static async Task<string> JobId(HttpResponseMessage posted)
    {
        string text = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.Created, $"{posted.StatusCode}: {text}");
        return LastJobId(text);
    }

    private static string LastJobId(string recruiterDocument)
    {
        JsonElement jobs = JsonDocument.Parse(recruiterDocument).RootElement.GetProperty("jobs");
        return jobs[jobs.GetArrayLength() - 1].GetProperty("_id").GetString()!;
    }

    /// <summary>Whether a jobs search around the point lists the offer among <c>matchas</c>.</summary>
    private static async Task<bool> Listed(HttpClient api, string jobId, string rome, double lat, double lon)
    {
        string body = await Body(api, Invariant($"/api/v1/jobs?romes={rome}&latitude={lat}&longitude={lon}&radius=10&sources=matcha&caller=fault-tests"));
        using JsonDocument doc = JsonDocument.Parse(body);
        if (!doc.RootElement.GetProperty("matchas").TryGetProperty("results", out JsonElement results)) return false;
        foreach (JsonElement item in results.EnumerateArray())
        {
            if (item.GetProperty("job").GetProperty("id").GetString() == jobId) return true;
        }
        return false;
    }

    private static async Task<string> Body(HttpClient api, string url)
    {
        using HttpResponseMessage response = await api.GetAsync(url);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return text;
    }

    private static object Application(string applicant, string jobId) => new Dictionary<string, object>
    {
        ["applicant_email"] = applicant,
        ["applicant_first_name"] = "Camille",
        ["applicant_last_name"] = "Petit",
        ["applicant_phone"] = "0611223344",
        ["applicant_file_name"] = "cv.pdf",
        ["applicant_file_content"] = "data:application/pdf;base64," + Convert.ToBase64String("%PDF-1.4\n%%EOF\n"u8.ToArray()),
        ["message"] = "Bonjour, je suis très motivée.",
        ["company_type"] = "matcha",
        ["job_id"] = jobId,
        ["caller"] = "fault-tests",
    };

    private static object Appointment(string cleMinistereEducatif, string email) => new
    {
        firstname = "Léa", lastname = "Bernard", phone = "0712345678", email, type = "etudiant",
        applicantMessageToCfa = "Je voudrais visiter le centre.", applicantReasons = new[] { "modalite" },
        cleMinistereEducatif, appointmentOrigin = "lba",
    };

    /// <summary>The first training around the places whose centre takes appointment requests.</summary>
    private static async Task<string> TrainingTakingRequests(HttpClient api)
    {
        foreach (var place in Places)
        {
            string body = await Body(api, Invariant($"/api/v1/formations?romes=M1607,D1102,I1304,K2111,F1703&latitude={place.Lat}&longitude={place.Lon}&radius=200&caller=fault-tests"));
            using JsonDocument doc = JsonDocument.Parse(body);
            foreach (JsonElement item in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                string id = item.GetProperty("id").GetString()!;
                using HttpResponseMessage context = await api.PostAsync("/api/appointment-request/context/create",
                    Json(new { idCleMinistereEducatif = id, referrer = "lba" }));
                string text = await context.Content.ReadAsStringAsync();
                if (context.StatusCode == HttpStatusCode.OK && !text.Contains("\"error\"", StringComparison.Ordinal)) return id;
            }
        }
        throw new InvalidOperationException("no training of the dataset takes appointment requests");
    }

    /// <summary>The reply token in the mail the training centre received about that appointment.</summary>
    private static string ReplyToken(string mailFolder, string appointmentId)
    {
        foreach (string file in Directory.EnumerateFiles(mailFolder, "*.eml"))
        {
            string body = MimeKit.MimeMessage.Load(file).TextBody ?? "";
            if (!body.Contains(appointmentId, StringComparison.Ordinal)) continue;
            Match token = ReplyTokenLine().Match(body);
            if (token.Success) return token.Groups[1].Value;
        }
        throw new InvalidOperationException($"no mail to a training centre about appointment {appointmentId} in {mailFolder}");
    }

    [GeneratedRegex(@"jeton de réponse : (\S+)")]
    private static partial Regex ReplyTokenLine();

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string Statuses(IEnumerable<Outcome> outcomes) =>
        string.Join(", ", outcomes.GroupBy(o => (int)o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));

    private static double Percentile(Outcome[] outcomes, double p)
    {
        double[] sorted = [.. outcomes.Select(o => o.Elapsed.TotalMilliseconds).Order()];
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}
