using System.Net;
using System.Text.Json;
using Alternance.Api.Validation;

namespace Alternance.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class MetierTests(ApiHost host)
{
    private static string[] Labels(JsonElement body) =>
        [.. body.GetProperty("labelsAndRomes").EnumerateArray().Select(m => m.GetProperty("label").GetString()!)];

    [Fact]
    public async Task Title_search_ranks_the_matching_metier_first()
    {
        JsonElement body = await host.Http.GetOk("/api/v1/metiers?title=boulanger");
        string[] labels = Labels(body);
        Assert.InRange(labels.Length, 1, 20);
        Assert.Equal("Boulangerie - viennoiserie", labels[0]);
        foreach (JsonElement m in body.GetProperty("labelsAndRomes").EnumerateArray())
        {
            ShapeTests.AssertShape(m, "label:S romes:A rncps:A type:S", "metier");
            Assert.Equal("job", m.GetProperty("type").GetString());
        }
        Assert.Contains("D1102", body.GetProperty("labelsAndRomes")[0].GetProperty("romes").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("Développeur web", "Études et développement informatique")]
    [InlineData("coiffure", "Coiffure")]
    [InlineData("MACON", "Maçonnerie")]
    public async Task Title_search_ignores_case_and_accents(string title, string expectedLabel)
    {
        string[] labels = Labels(await host.Http.GetOk("/api/v1/metiers?title=" + Uri.EscapeDataString(title)));
        Assert.Contains(expectedLabel, labels.Take(3));
    }

    [Fact]
    public async Task With_rome_labels_adds_rome_titles()
    {
        JsonElement body = await host.Http.GetOk("/api/v1/metiers?title=boulanger&withRomeLabels=true");
        JsonElement first = body.GetProperty("labelsAndRomes")[0];
        ShapeTests.AssertShape(first, "label:S romes:A rncps:A type:S romeTitles:A", "metier");
        foreach (JsonElement t in first.GetProperty("romeTitles").EnumerateArray()) ShapeTests.AssertShape(t, "codeRome:S intitule:S", "romeTitles[]");
    }

    [Fact]
    public async Task Romes_and_rncps_look_ups()
    {
        string[] byRome = Labels(await host.Http.GetOk("/api/v1/metiers?romes=d1102,M1805"));
        Assert.Contains("Boulangerie - viennoiserie", byRome);
        Assert.Contains(byRome, l => l.Contains("informatique", StringComparison.OrdinalIgnoreCase));

        Data.RncpCertification rncp = host.Reference.Rncps.First(c => c.Active2021 && c.RomeCodesV4.Contains("D1102"));
        JsonElement byRncp = await host.Http.GetOk($"/api/v1/metiers?rncps={rncp.Code}");
        Assert.Contains("Boulangerie - viennoiserie", Labels(byRncp));
        JsonElement boulangerie = byRncp.GetProperty("labelsAndRomes").EnumerateArray().First(m => m.GetProperty("label").GetString() == "Boulangerie - viennoiserie");
        Assert.Contains(rncp.Code, boulangerie.GetProperty("rncps").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("/api/v1/metiers")]
    [InlineData("/api/v1/metiers?title=&romes=")]
    [InlineData("/api/v1/metiers?withRomeLabels=1")]
    public async Task Metiers_without_parameters_is_missing_parameters(string url)
    {
        var (status, body) = await host.Http.GetJson(url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("missing_parameters", body.GetProperty("error").GetString());
        Assert.Equal([Messages.MetiersMissing], body.GetProperty("error_messages").EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    [Fact]
    public async Task All_metiers_sorted()
    {
        JsonElement body = await host.Http.GetOk("/api/v1/metiers/all");
        string[] all = [.. body.GetProperty("metiers").EnumerateArray().Select(m => m.GetString()!)];
        Assert.True(all.Length > 400);
        Assert.Equal(all.Length, all.Distinct().Count());
        string[] keys = [.. all.Select(Metiers.MetierCatalog.Normalize)];
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task Intitule_ranks_appellations_and_deduplicates()
    {
        JsonElement body = await host.Http.GetOk("/api/v1/metiers/intitule?label=boulanger");
        JsonElement[] couples = [.. body.GetProperty("coupleAppellationRomeMetier").EnumerateArray()];
        Assert.InRange(couples.Length, 2, 100);
        foreach (JsonElement c in couples) ShapeTests.AssertShape(c, "codeRome:S intitule:S appellation:S", "couple");
        Assert.Equal("Boulanger / Boulangère", couples[0].GetProperty("appellation").GetString());
        Assert.Equal("D1102", couples[0].GetProperty("codeRome").GetString());
        Assert.Equal(couples.Length, couples.Select(c => c.GetProperty("appellation").GetString()).Distinct().Count());

        JsonElement many = await host.Http.GetOk("/api/v1/metiers/intitule?label=a");
        Assert.Equal(100, many.GetProperty("coupleAppellationRomeMetier").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/metiers/intitule")]
    [InlineData("/api/v1/metiers/intitule?label=%20")]
    public async Task Intitule_without_label(string url)
    {
        var (status, body) = await host.Http.GetJson(url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("missing_parameters", body.GetProperty("error").GetString());
        Assert.Equal(Messages.LabelMissing, body.GetProperty("error_messages")[0].GetString());
    }

    [Fact]
    public async Task Metiers_par_formation_from_the_trainings_of_a_cfd()
    {
        FormationItem f = host.Formations.First(x => x.Cfd is not null);
        var catalog = new Metiers.MetierCatalog(host.Reference);
        var expected = host.Formations.Where(x => x.Cfd == f.Cfd).SelectMany(x => x.RomeCodes).SelectMany(catalog.ForRome)
            .Select(m => m.Label).Distinct().OrderBy(l => l, StringComparer.Ordinal).Take(20).ToArray();
        JsonElement body = await host.Http.GetOk($"/api/v1/metiers/metiersParFormation/{f.Cfd}");
        Assert.Equal(expected, body.GetProperty("metiers").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.NotEmpty(expected);

        JsonElement none = await host.Http.GetOk("/api/v1/metiers/metiersParFormation/00000000");
        Assert.Equal(0, none.GetProperty("metiers").GetArrayLength());
    }
}
