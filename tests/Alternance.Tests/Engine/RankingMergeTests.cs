namespace Alternance.Tests.Engine;

/// <summary>A lone list is returned as it is only when it already obeys the limit and the grouping rule.</summary>
public sealed class RankingMergeTests
{
    private static FormationItem Training(string id, string title) => new()
    {
        Id = id, Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], IntituleLong = title, FormateurSiret = "1", CodePostal = "75001",
    };

    private static MatchaItem Job(string id, string recruiter) => new()
    {
        Id = id, Latitude = 48.85, Longitude = 2.35, RomeCodes = ["M1607"], Recruiter = new RecruiterInfo { EstablishmentId = recruiter, Latitude = 48.85, Longitude = 2.35 },
    };

    [Fact]
    public void A_lone_list_of_trainings_is_still_deduplicated()
    {
        Hit[] list = [new(Training("a", "BTS"), 1), new(Training("b", "BTS"), 2), new(Training("c", "CAP"), 3)];
        Hit[] merged = Ranking.Merge([list], Source.Formation, SearchArea.Radius, 10);
        Assert.Equal(["a", "c"], merged.Select(h => h.Item.Id));
    }

    [Fact]
    public void A_lone_list_of_posted_offers_keeps_whole_recruiters_up_to_the_limit()
    {
        Hit[] list = [new(Job("1", "r1"), 1), new(Job("2", "r2"), 2), new(Job("3", "r1"), 3), new(Job("4", "r3"), 4)];
        Assert.Equal(["1", "2", "3"], Ranking.Merge([list], Source.Matcha, SearchArea.Radius, 2).Select(h => h.Item.Id));
        Assert.Same(list, Ranking.Merge([list], Source.Matcha, SearchArea.Radius, 3));
    }

    [Fact]
    public void The_training_key_is_not_carried_over_to_a_changed_copy()
    {
        FormationItem first = Training("a", "BTS");
        ItemGroup key = Ranking.GroupOf(first);
        FormationItem renamed = first with { IntituleLong = "CAP" };
        Assert.NotEqual(key, Ranking.GroupOf(renamed));
        Assert.Equal(key, Ranking.GroupOf(first with { })); // a copy with the same fields is in the same group
        Assert.Equal(first, first with { }); // the cached key is not part of equality
    }
}
