using Alternance.Grains;

namespace Alternance.Tests.Engine;

public sealed class OpcoFilterTests
{
    [Theory]
    [InlineData("EP", "Opco entreprises de proximité")]
    [InlineData("AKTO", "AKTO / Opco entreprises et salariés des services à forte intensité de main d'oeuvre")]
    [InlineData("UNIFORMATION", "Uniformation, l'Opco de la Cohésion sociale")]
    [InlineData("ATLAS", "atlas")]
    public void The_opco_filter_by_short_name_matches_offers_that_carry_the_lba_label(string shortName, string label)
    {
        var recruiter = new RecruiterInfo { EstablishmentId = "r1", Latitude = 48.85, Longitude = 2.35, Opco = label };
        var offer = new MatchaItem { Id = "j1", Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], Recruiter = recruiter };
        var index = new SourceIndex(Source.Matcha, [offer], cell: 1);
        SourceQuery Query(string opco) => new()
        {
            Source = Source.Matcha, Latitude = 48.85, Longitude = 2.35, RadiusKm = 10, Romes = ["M1607"], Limit = 250, Opco = OpcoKeys.ToKey(opco),
        };

        Assert.Equal("j1", Assert.Single(index.Search(Query(shortName))).Id);
        Assert.Equal("j1", Assert.Single(index.Search(Query(shortName.ToLowerInvariant()))).Id);
        Assert.Empty(index.Search(Query("SANTE")));
    }
}
