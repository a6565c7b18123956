using System.Net;
using Alternance.Api.Validation;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>Every validation message of docs/contract.md#validation-messages, exactly, accumulated.</summary>
[Collection(ApiCollection.Name)]
public sealed class ValidationTests(ApiHost host)
{
    private const string C = "caller=test";
    private const string Geo = "latitude=48.85&longitude=2.35";

    public static TheoryData<string, string> Cases => new()
    {
        { "/api/v1/formations?romes=F1603", Messages.CallerMissing },
        { "/api/v1/jobs?romes=F1603", Messages.CallerMissing },
        { "/api/v1/jobsEtFormations?romes=F1603", Messages.CallerMissing },
        { "/api/v1/formationsParRegion?region=11", Messages.CallerMissing },
        { "/api/v1/formations/formation/x", Messages.CallerMissing },
        { "/api/v1/jobs/job/x", Messages.CallerMissing },
        { "/api/v1/jobs/matcha/x", Messages.CallerMissing },
        { "/api/v1/jobs/company/12345678901234", Messages.CallerMissing },
        { $"/api/v1/formations?{C}&romes=" + string.Join(',', Enumerable.Range(1000, 21).Select(i => "A" + i)), Messages.RomesTooMany(20) },
        { $"/api/v1/jobs?{C}&romes=" + string.Join(',', Enumerable.Range(1000, 21).Select(i => "A" + i)), Messages.RomesTooMany(20) },
        { $"/api/v1/formations?{C}&romes=F16", Messages.RomesBadFormat },
        { $"/api/v1/jobs?{C}&romes=F1603;A1234", Messages.RomesBadFormat },
        { $"/api/v1/jobsEtFormations?{C}&romes=1603", Messages.RomesBadFormat },
        { $"/api/v1/jobs?{C}&romes=F1603&rncp=RNCP34", Messages.RomesOrRncpBoth },
        { $"/api/v1/jobsEtFormations?{C}&romes=F1603&rncp=RNCP34", Messages.RomesOrRncpBoth },
        { $"/api/v1/jobs?{C}", Messages.RomesOrRncpNone },
        { $"/api/v1/jobsEtFormations?{C}", Messages.RomesOrRncpNone },
        { $"/api/v1/jobs?{C}&rncp=RNC12", Messages.RncpBadFormat },
        { $"/api/v1/jobs?{C}&rncp=RNCP123456", Messages.RncpBadFormat },
        { $"/api/v1/jobs?{C}&rncp=RNCP99999", Messages.RncpUnknown("RNCP99999") },
        { $"/api/v1/formations?{C}", Messages.RomesOrDomainNone },
        { $"/api/v1/formations?{C}&romes=F1603&romeDomain=F", Messages.RomesOrDomainBoth },
        { $"/api/v1/formationsParRegion?{C}&romes=F1603&romeDomain=F", Messages.RomesOrDomainBoth },
        { $"/api/v1/formations?{C}&romeDomain=F1", Messages.RomeDomainBadFormat },
        { $"/api/v1/formations?{C}&romeDomain=12", Messages.RomeDomainBadFormat },
        { $"/api/v1/formations?{C}&romes=F1603&longitude=2.35", Messages.LatitudeMissing },
        { $"/api/v1/jobs?{C}&romes=F1603&longitude=2.35&radius=10", Messages.LatitudeMissing },
        { $"/api/v1/formations?{C}&romes=F1603&latitude=abc&longitude=2.35", Messages.LatitudeNaN },
        { $"/api/v1/jobs?{C}&romes=F1603&latitude=NaN&longitude=2.35&radius=10", Messages.LatitudeNaN },
        { $"/api/v1/formations?{C}&romes=F1603&latitude=91&longitude=2.35", Messages.LatitudeRange },
        { $"/api/v1/jobs?{C}&romes=F1603&latitude=-90.5&longitude=2.35&radius=10", Messages.LatitudeRange },
        { $"/api/v1/formations?{C}&romes=F1603&latitude=48.85", Messages.LongitudeMissing },
        { $"/api/v1/formations?{C}&romes=F1603&latitude=48.85&longitude=2,35", Messages.LongitudeNaN },
        { $"/api/v1/jobsEtFormations?{C}&romes=F1603&latitude=48.85&longitude=Infinity&radius=10", Messages.LongitudeNaN },
        { $"/api/v1/formations?{C}&romes=F1603&latitude=48.85&longitude=180.01", Messages.LongitudeRange },
        { $"/api/v1/jobs?{C}&romes=F1603&{Geo}", Messages.RadiusMissing },
        { $"/api/v1/jobsEtFormations?{C}&romes=F1603&{Geo}", Messages.RadiusMissing },
        { $"/api/v1/jobs?{C}&romes=F1603&insee=75056", Messages.RadiusMissing },
        { $"/api/v1/formations?{C}&romes=F1603&{Geo}&radius=ten", Messages.RadiusNaN },
        { $"/api/v1/jobs?{C}&romes=F1603&{Geo}&radius=10km", Messages.RadiusNaN },
        { $"/api/v1/formations?{C}&romes=F1603&{Geo}&radius=201", Messages.RadiusRange },
        { $"/api/v1/jobs?{C}&romes=F1603&{Geo}&radius=-1", Messages.RadiusRange },
        { $"/api/v1/jobs?{C}&romes=F1603&{Geo}&radius=19999", Messages.RadiusRange },
        { $"/api/v1/formations?{C}&romes=F1603&{Geo}&insee=7505", Messages.InseeBadFormat },
        { $"/api/v1/jobs?{C}&romes=F1603&insee=2C004&radius=10", Messages.InseeBadFormat },
        { $"/api/v1/formations?{C}&romes=F1603&insee=99999", Messages.InseeNotFound },
        { $"/api/v1/jobs?{C}&romes=F1603&insee=75000&radius=10", Messages.InseeNotFound },
        { $"/api/v1/formations?{C}&romes=F1603&diploma=8xxx", Messages.DiplomaBad },
        { $"/api/v1/jobs?{C}&romes=F1603&diploma=BAC", Messages.DiplomaBad },
        { $"/api/v1/formationsParRegion?{C}&region=11&diploma=2", Messages.DiplomaBad },
        { $"/api/v1/jobs?{C}&romes=F1603&sources=lba,pole", Messages.SourcesBad },
        { $"/api/v1/jobsEtFormations?{C}&romes=F1603&sources=trainings", Messages.SourcesBad },
        { $"/api/v1/formationsParRegion?{C}&region=11&departement=75", Messages.RegionAndDepartement },
        { $"/api/v1/formationsParRegion?{C}&departement=7", Messages.DepartementBadFormat },
        { $"/api/v1/formationsParRegion?{C}&departement=2A", Messages.DepartementBadFormat },
        { $"/api/v1/formationsParRegion?{C}&region=1", Messages.RegionBadFormat },
        { $"/api/v1/formationsParRegion?{C}&region=ab", Messages.RegionBadFormat },
        { $"/api/v1/formationsParRegion?{C}&region=99", Messages.RegionNotAllowed },
        { $"/api/v1/formationsParRegion?{C}&region=05", Messages.RegionNotAllowed },
        { $"/api/v1/formationsParRegion?{C}", Messages.RegionNothing },
        { $"/api/v1/jobs/company/1234?{C}", Messages.SiretInvalid },
        { $"/api/v1/jobs/company/1234567890123A?{C}", Messages.SiretInvalid },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_message_is_exact(string url, string expected)
    {
        string[] messages = await host.Http.GetWrongParameters(url);
        Assert.Contains(expected, messages);
    }

    [Fact]
    public async Task Messages_accumulate()
    {
        string[] messages = await host.Http.GetWrongParameters(
            "/api/v1/jobs?romes=F16&latitude=x&longitude=500&radius=300&diploma=9&sources=nope&insee=abc");
        Assert.Equal(
        [
            Messages.CallerMissing, Messages.RomesBadFormat, Messages.LatitudeNaN, Messages.LongitudeRange,
            Messages.InseeBadFormat, Messages.RadiusRange, Messages.DiplomaBad, Messages.SourcesBad,
        ], messages);
    }

    [Fact]
    public async Task Too_many_and_badly_formatted_romes_both_reported()
    {
        string romes = string.Join(',', Enumerable.Range(0, 25).Select(i => "x"));
        string[] messages = await host.Http.GetWrongParameters($"/api/v1/formations?{C}&romes={romes}");
        Assert.Contains(Messages.RomesTooMany(20), messages);
        Assert.Contains(Messages.RomesBadFormat, messages);
    }

    [Theory]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&latitude=48.85&longitude=2.35&radius=20000")]
    [InlineData("/api/v1/jobs?caller=x&romes=F1603&latitude=48.85&longitude=2.35&radius=20000")]
    [InlineData("/api/v1/jobs?caller=x&romes=f1603,i1308&latitude=48.85&longitude=2.35&radius=0")]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&latitude=48.85&longitude=2.35")]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&insee=2A004")]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&insee=75101")]
    [InlineData("/api/v1/jobs?caller=x&romes=F1603&insee=69381&radius=30")]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&latitude=48.85&longitude=2.35&insee=99999")]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&diploma=3%20(CAP...)")]
    [InlineData("/api/v1/formations?caller=x&romes=F1603&diploma=7xxx")]
    [InlineData("/api/v1/jobs?caller=x&romes=F1603&sources=offres,lbb")]
    [InlineData("/api/v1/jobs?caller=x&romes=F1603&sources=peJob,matcha,lba,formation")]
    [InlineData("/api/v1/jobsEtFormations?caller=x&romes=F1603&sources=formations,offres")]
    [InlineData("/api/v1/jobsEtFormations?caller=x&romes=F1603&sources=formation")]
    [InlineData("/api/v1/formationsParRegion?caller=x&departement=974")]
    [InlineData("/api/v1/formationsParRegion?caller=x&romeDomain=F16")]
    [InlineData("/api/v1/formationsParRegion?caller=x&romes=F1603")]
    public async Task Valid_requests_answer_200(string url)
    {
        var (status, body) = await host.Http.GetJson(url);
        Assert.True(status == HttpStatusCode.OK, $"{url}: {(int)status} {body}");
    }

    [Fact]
    public async Task A_known_rncp_is_searched_by_its_rome_codes()
    {
        Data.RncpCertification rncp = host.Reference.Rncps.First(c => c.RomeCodesV4.Count > 0);
        var body = await host.Http.GetOk($"/api/v1/jobs?caller=x&rncp={rncp.Code.ToLowerInvariant()}");
        foreach (var item in body.GetProperty("peJobs").Results())
        {
            Assert.Contains(item.GetProperty("romes").EnumerateArray(), r => rncp.RomeCodesV4.Contains(r.GetProperty("code").GetString()!));
        }
    }

    [Fact]
    public async Task Diploma_Indifferent_is_not_a_level()
    {
        // CONTRACT: a diploma value must start with 3..7.
        string[] messages = await host.Http.GetWrongParameters("/api/v1/formations?caller=x&romes=F1603&diploma=Indiff%C3%A9rent");
        Assert.Equal([Messages.DiplomaBad], messages);
    }
}
