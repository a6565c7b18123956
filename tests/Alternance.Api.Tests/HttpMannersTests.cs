using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>
/// What reusers' clients expect of the API over HTTP: answers compressed as negotiated (and identical once decompressed),
/// CORS for pages of any origin on the public read routes only, validators and caching headers, a front page.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HttpMannersTests(ApiHost host)
{
    private string JobsUrl()
    {
        var paris = host.Reference.FindCommune("75056")!;
        string[] romes = [.. host.Companies.SelectMany(c => c.RomeCodes).GroupBy(r => r).OrderByDescending(g => g.Count()).Take(2).Select(g => g.Key)];
        return $"/api/v1/jobs?caller=manners&romes={string.Join(',', romes)}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=30";
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> Get(string url, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        headers?.Invoke(request.Headers);
        HttpResponseMessage response = await host.Http.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Decompress(byte[] body, string coding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData("/api/v1/jobs", "br", "gzip, deflate, br")]
    [InlineData("/api/v1/jobs", "gzip", "gzip")]
    [InlineData("/api/v1/jobs", "gzip", "br;q=0.5, gzip")]
    [InlineData("/api/v1/jobs", "br", "*")]
    [InlineData("/api/v1/jobs", null, "identity")]
    [InlineData("/api/v1/jobs", null, "br;q=0, gzip;q=0")]
    [InlineData("/api/v1/metiers/all", "br", "br")]
    [InlineData("/api/v1/metiers/all", "gzip", "gzip")]
    [InlineData("/", "gzip", "gzip")]
    public async Task Answers_are_compressed_as_negotiated_and_identical_once_decompressed(string route, string? expected, string acceptEncoding)
    {
        string url = route == "/api/v1/jobs" ? JobsUrl() : route;
        var (plain, plainBody) = await Get(url);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        var (encoded, encodedBody) = await Get(url, h => h.TryAddWithoutValidation("Accept-Encoding", acceptEncoding));
        Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
        if (expected is null)
        {
            Assert.Empty(encoded.Content.Headers.ContentEncoding);
            Assert.Equal(plainBody, encodedBody);
            return;
        }
        Assert.Equal([expected], encoded.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", encoded.Headers.Vary);
        // JSON answers shrink to a fraction; a small page less so.
        Assert.True(encodedBody.Length < plainBody.Length * (plainBody.Length > 10_000 ? 0.5 : 0.9), $"{encodedBody.Length} compressed bytes for {plainBody.Length}");
        Assert.Equal(plainBody, Decompress(encodedBody, expected));
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task A_large_answer_is_compressed_whole_across_staging_blocks(string coding)
    {
        // Three popular codes 200 km around Paris: the lists are full, the answer is more than one Brotli staging block (128 KB).
        var paris = host.Reference.FindCommune("75056")!;
        string[] romes = [.. host.Companies.SelectMany(c => c.RomeCodes).GroupBy(r => r).OrderByDescending(g => g.Count()).Take(3).Select(g => g.Key)];
        string url = $"/api/v1/jobs?caller=manners&romes={string.Join(',', romes)}&latitude={Inv(paris.Latitude)}&longitude={Inv(paris.Longitude)}&radius=200";
        var (_, plainBody) = await Get(url);
        Assert.True(plainBody.Length > 140_000, $"{plainBody.Length} bytes");
        var (encoded, encodedBody) = await Get(url, h => h.TryAddWithoutValidation("Accept-Encoding", coding));
        Assert.Equal([coding], encoded.Content.Headers.ContentEncoding);
        Assert.Equal(encodedBody.Length, encoded.Content.Headers.ContentLength);
        Assert.Equal(plainBody, Decompress(encodedBody, coding));
    }

    [Fact]
    public async Task A_search_answer_has_a_strong_tag_per_coding_and_an_unchanged_one_answers_304()
    {
        string url = JobsUrl();
        var (first, body) = await Get(url);
        EntityTagHeaderValue tag = first.Headers.ETag!;
        Assert.False(tag.IsWeak);
        Assert.Equal("public, max-age=30", first.Headers.CacheControl!.ToString());
        var (again, againBody) = await Get(url);
        Assert.Equal(tag, again.Headers.ETag); // same data, same tag, same bytes
        Assert.Equal(body, againBody);

        var (notModified, empty) = await Get(url, h => h.IfNoneMatch.Add(tag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(empty);
        Assert.Equal(tag, notModified.Headers.ETag);
        var (weakly, _) = await Get(url, h => h.TryAddWithoutValidation("If-None-Match", "\"other\", W/" + tag.Tag));
        Assert.Equal(HttpStatusCode.NotModified, weakly.StatusCode);

        // Another coding is another representation: its own tag, and the identity tag does not validate it.
        var (gzipped, _) = await Get(url, h => { h.TryAddWithoutValidation("Accept-Encoding", "gzip"); h.IfNoneMatch.Add(tag); });
        Assert.Equal(HttpStatusCode.OK, gzipped.StatusCode);
        Assert.NotEqual(tag, gzipped.Headers.ETag);
        // Another query, another tag.
        var (other, _) = await Get(url.Replace("radius=30", "radius=60"));
        Assert.NotEqual(tag, other.Headers.ETag);
    }

    [Fact]
    public async Task A_free_text_answer_has_a_strong_tag_of_its_bytes_and_an_unchanged_one_answers_304()
    {
        string url = "/api/v1/search?q=vente&hitsPerPage=10";
        var (first, body) = await Get(url);
        Assert.True(first.StatusCode == HttpStatusCode.OK, System.Text.Encoding.UTF8.GetString(body));
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("nbHits").GetInt32() > 10, "the query has more than one page");
        // Larger than the gzip encoder's 16 KB staging, which a body copied whole once overflowed (a 500).
        Assert.True(body.Length > 16 * 1024, $"{body.Length} bytes");
        EntityTagHeaderValue tag = first.Headers.ETag!;
        Assert.False(tag.IsWeak);
        Assert.Equal("public, max-age=30", first.Headers.CacheControl!.ToString());
        var (again, againBody) = await Get(url);
        Assert.Equal(tag, again.Headers.ETag);
        Assert.Equal(body, againBody);

        var (notModified, empty) = await Get(url, h => h.IfNoneMatch.Add(tag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(empty);
        Assert.Equal(tag, notModified.Headers.ETag);

        // Compressed on request, with its own tag, and the same JSON inside.
        var (gzipped, gzippedBody) = await Get(url, h => { h.TryAddWithoutValidation("Accept-Encoding", "gzip"); h.IfNoneMatch.Add(tag); });
        Assert.Equal(HttpStatusCode.OK, gzipped.StatusCode);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.NotEqual(tag, gzipped.Headers.ETag);
        Assert.Equal(body, Decompress(gzippedBody, "gzip"));
        // Another page, other bytes, another tag; the first tag does not validate it.
        var (next, nextBody) = await Get(url + "&page=1", h => h.IfNoneMatch.Add(tag));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.NotEqual(body, nextBody);
        Assert.NotEqual(tag, next.Headers.ETag);

        var (bad, _) = await Get("/api/v1/search?q=vente&hitsPerPage=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Null(bad.Headers.ETag);
    }

    [Fact]
    public async Task Items_are_validated_by_their_version_and_errors_are_not_kept()
    {
        CompanyItem company = host.Companies[7];
        string url = $"/api/v1/jobs/company/{company.Id}?caller=manners";
        var (first, _) = await Get(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("public, max-age=30", first.Headers.CacheControl!.ToString());
        var (cached, _) = await Get(url, h => h.IfNoneMatch.Add(first.Headers.ETag!));
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        // With phones (another caller's rights), another representation.
        var (phones, _) = await Get($"/api/v1/jobs/company/{company.Id}?caller={ApiHost.PhoneCaller}", h => h.IfNoneMatch.Add(first.Headers.ETag!));
        Assert.Equal(HttpStatusCode.OK, phones.StatusCode);

        var (bad, _) = await Get("/api/v1/jobs?caller=x&latitude=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True(bad.Headers.CacheControl!.NoStore);
        Assert.Null(bad.Headers.ETag);
        var (missing, _) = await Get("/api/v1/jobs/job/no-such-offer?caller=x");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.True(missing.Headers.CacheControl!.NoStore);
        // A partial answer (a source failed) is not kept either.
        var (partial, _) = await Get(JobsUrl(), h => h.Add(ApiHost.FailHeader, "Company"));
        Assert.True(partial.Headers.CacheControl!.NoStore);
        Assert.Null(partial.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/v1/jobs?caller=x&romes=M1607&latitude=48.85&longitude=2.35&radius=10")]
    [InlineData("/api/v1/formations?caller=x&romes=M1607&latitude=48.85&longitude=2.35")]
    [InlineData("/api/v1/metiers?title=boulanger")]
    [InlineData("/api/v1/jobs/company/12345678901234?caller=x")]
    public async Task Public_read_routes_answer_cors_preflights_and_requests_from_any_origin(string url)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
        preflight.Headers.Add("Origin", "https://portail.region.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match, authorization");
        using HttpResponseMessage answer = await host.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        string allowed = answer.Headers.GetValues("Access-Control-Allow-Headers").Single().ToLowerInvariant();
        Assert.Contains("if-none-match", allowed);
        Assert.Contains("authorization", allowed);

        var (response, _) = await Get(url, h => h.Add("Origin", "https://portail.region.example"));
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        if (response.StatusCode == HttpStatusCode.OK && url.Contains("/jobs?", StringComparison.Ordinal))
        {
            Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
        }
    }

    [Theory]
    [InlineData("PUT", "/api/admin/import/companies")]
    [InlineData("DELETE", "/api/admin/companies/12345678901234")]
    [InlineData("POST", "/api/v1/jobs/establishment")]
    [InlineData("POST", "/api/v1/application")]
    public async Task Writes_and_admin_routes_grant_no_other_origin(string method, string url)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
        preflight.Headers.Add("Origin", "https://portail.region.example");
        preflight.Headers.Add("Access-Control-Request-Method", method);
        using HttpResponseMessage answer = await host.Http.SendAsync(preflight);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Add("Origin", "https://portail.region.example");
        using HttpResponseMessage write = await host.Http.SendAsync(request);
        Assert.False(write.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.True(write.Headers.CacheControl?.NoStore, $"{method} {url}: {write.Headers.CacheControl}");
    }

    [Fact]
    public async Task The_front_page_says_what_this_is_and_links_to_the_docs()
    {
        var (page, body) = await Get("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        string html = System.Text.Encoding.UTF8.GetString(body);
        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("href=\"/api-docs\"", html);
        Assert.Contains("href=\"/test-widget\"", html);
        Assert.Contains("/api/v1/jobs?", html);
        Assert.DoesNotContain("/dashboard/", html); // the tests' host runs without the dashboard
        var (docs, _) = await Get("/api-docs");
        Assert.True(docs.StatusCode is HttpStatusCode.OK or HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect, $"{docs.StatusCode}");
    }
}
