using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;

namespace Alternance.Api.Writes.Tests;

/// <summary>
/// A host of its own: an offer posted on one API node is found within a second by another (a client-mode node of the
/// same cluster); then the host is stopped and a new one started on the same file store finds every write again.
/// </summary>
public sealed class RestartAndNodesTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Offers_applications_and_appointments_survive_a_restart_and_every_node_sees_offers_within_a_second()
    {
        string root = WriteHost.NewRoot();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string serviceId = "restart-" + Path.GetFileName(root);
        string jobId, provided, rome, establishment, applicant, appointmentId, cle, cfaEmail, v3Offer;
        CompanyItem workplace;
        try
        {
            await using (var first = new WriteHost(root, clock, serviceId: serviceId))
            {
                await first.StartAsync();
                using HttpClient alpha = first.Partner();
                establishment = (await Offers.CreateEstablishment(alpha, Offers.EstablishmentBody(email: "durable@entreprise.example"))).GetProperty("establishment_id").GetString()!;
                rome = Offers.Appellation(6).Rome;

                // A second API node (client of the same cluster, through the first one's gateway).
                await using (var second = new WriteHost(root + "-node2", clock, new Dictionary<string, string?>
                {
                    ["Cluster:Mode"] = "Client",
                    ["Cluster:GatewayPort"] = first.Setting("Cluster:GatewayPort"),
                }, serviceId: serviceId))
                {
                    await second.StartAsync(waitForDataset: false);
                    using HttpClient otherNode = second.CreateClient();
                    // Warm both nodes up (first requests JIT the search path), then post and time.
                    await Offers.Listed(otherNode, "000000000000000000000000", rome);
                    using (HttpClient firstWarm = first.CreateClient()) await Offers.Listed(firstWarm, "000000000000000000000000", rome);
                    jobId = await Offers.CreateJob(alpha, establishment, Offers.JobBody(clock.GetUtcNow(), appellation: 6));
                    provided = await Offers.CreateJob(alpha, establishment, Offers.JobBody(clock.GetUtcNow(), appellation: 6));
                    Assert.True(await Offers.WaitListed(otherNode, jobId, rome, expected: true, OneSecond) <= OneSecond);
                    await Offers.WaitListed(otherNode, provided, rome, expected: true, OneSecond);
                    using HttpResponseMessage done = await alpha.PostAsync($"/api/v1/jobs/provided/{provided}", null);
                    Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
                    Assert.True(await Offers.WaitListed(otherNode, provided, rome, expected: false, OneSecond) <= OneSecond);

                    // And the other way round: posted on the second node, found on the first.
                    using HttpClient alphaOnSecond = second.Partner();
                    string fromSecond = await Offers.CreateJob(alphaOnSecond, establishment, Offers.JobBody(clock.GetUtcNow(), appellation: 6));
                    using HttpClient firstNode = first.CreateClient();
                    await Offers.WaitListed(firstNode, fromSecond, rome, expected: true, OneSecond);

                    // An offer posted through v3 on the second node: found by the first within a second.
                    workplace = (await first.Engine.ListAsync<CompanyItem>(Source.Company, 50)).First(c => c.NafCode?.StartsWith("85", StringComparison.Ordinal) != true);
                    using HttpResponseMessage posted = await alphaOnSecond.PostAsync("/api/v3/jobs", Http.Json(new
                    {
                        offer = new { title = "Comptable en alternance", rome_codes = new[] { rome }, description = "Tenue de la comptabilité, rapprochements et déclarations." },
                        apply = new { email = "compta@entreprise.example" },
                        workplace = new { siret = workplace.Siret },
                    }));
                    Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
                    v3Offer = (await posted.ReadJson()).GetProperty("id").GetString()!;
                    await Offers.WaitListed(firstNode, v3Offer, rome, expected: true, OneSecond, workplace.Latitude, workplace.Longitude);
                }

                // An application and an appointment request.
                applicant = $"durable-{Guid.NewGuid():N}@example.org";
                using HttpClient client = first.CreateClient();
                using HttpResponseMessage applied = await client.PostAsync("/api/v1/application", Http.Json(new
                {
                    applicant_email = applicant, applicant_first_name = "Noé", applicant_last_name = "Roux", applicant_phone = "0611223344",
                    applicant_file_name = "cv.pdf", applicant_file_content = Convert.ToBase64String(Encoding.ASCII.GetBytes("%PDF-1.4 durable")),
                    company_type = "matcha", job_id = jobId, caller = "writes-tests",
                }));
                Assert.Equal(HttpStatusCode.OK, applied.StatusCode);

                FormationItem training = (await first.Engine.ListAsync<FormationItem>(Source.Formation, 500)).First(f => !string.IsNullOrEmpty(f.Email));
                (cle, cfaEmail) = (training.Id, training.Email!);
                using HttpResponseMessage requested = await client.PostAsync("/api/appointment-request/validate", Http.Json(new
                {
                    firstname = "Noé", lastname = "Roux", phone = "0611223344", email = applicant, type = "parent",
                    applicantMessageToCfa = (string?)null, applicantReasons = new[] { "autre" }, cleMinistereEducatif = cle, appointmentOrigin = "lba",
                }));
                JsonElement answer = await requested.ReadJson();
                Assert.True(requested.StatusCode == HttpStatusCode.OK, answer.ToString());
                appointmentId = answer.GetProperty("appointment").GetProperty("_id").GetString()!;
            }

            // A new host on the same store: everything is still there.
            await using var again = new WriteHost(root, clock, serviceId: serviceId);
            await again.StartAsync();
            using HttpClient search = again.CreateClient();
            Assert.True(await Offers.Listed(search, jobId, rome));
            Assert.False(await Offers.Listed(search, provided, rome));
            Assert.True(await Offers.Listed(search, v3Offer, rome, workplace.Latitude, workplace.Longitude));
            using (HttpResponseMessage v3 = await search.GetAsync($"/api/v3/jobs/{v3Offer}"))
            {
                Assert.Equal(HttpStatusCode.OK, v3.StatusCode);
                Assert.Equal("Comptable en alternance", (await v3.ReadJson()).GetProperty("offer").GetProperty("title").GetString());
            }
            RecruiterRecord? recruiter = await again.Grains.GetGrain<IRecruiterGrain>(establishment).Get();
            Assert.NotNull(recruiter);
            Assert.Equal(3, recruiter.Jobs.Length);
            Assert.Equal("Pourvue", recruiter.Jobs.Single(j => j.Id == provided).Status);

            // The offer routes still work on it (job id → establishment survived too).
            using HttpClient alphaAgain = again.Partner();
            using HttpResponseMessage canceled = await alphaAgain.PostAsync($"/api/v1/jobs/canceled/{jobId}", null);
            Assert.Equal(HttpStatusCode.NoContent, canceled.StatusCode);
            await Offers.WaitListed(search, jobId, rome, expected: false, OneSecond);

            ApplicationMark mark = Assert.Single(await again.Grains.GetGrain<IApplicantGrain>(applicant).List());
            ApplicationRecord? application = await again.Grains.GetGrain<IApplicationGrain>(mark.ApplicationId).Get();
            Assert.NotNull(application);
            Assert.Equal("sent", application.Status);
            Assert.Equal("durable@entreprise.example", application.CompanyEmail);

            AppointmentRecord? appointment = await again.Grains.GetGrain<IAppointmentGrain>(appointmentId).Get();
            Assert.NotNull(appointment);
            Assert.Equal(cle, appointment.CleMinistereEducatif);
            Assert.Equal(cfaEmail, appointment.CfaRecipientEmail);
            // The 4-day rule survived as well.
            using HttpResponseMessage duplicate = await search.PostAsync("/api/appointment-request/validate", Http.Json(new
            {
                firstname = "Noé", lastname = "Roux", phone = "0611223344", email = applicant, type = "parent",
                applicantMessageToCfa = (string?)null, applicantReasons = new[] { "autre" }, cleMinistereEducatif = cle, appointmentOrigin = "lba",
            }));
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        }
        finally
        {
            foreach (string dir in new[] { root, root + "-node2" })
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
