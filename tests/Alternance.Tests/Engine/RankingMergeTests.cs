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

    private static Hit HitOf(SearchItem item, double distance) => new(item.Id, distance, Version: 1, Cell: 1, Fingerprint.Of(item.Id), ListingGroup.KeyOf(item));

    [Fact]
    public void A_lone_list_of_trainings_is_still_deduplicated()
    {
        Hit[] list = [HitOf(Training("a", "BTS"), 1), HitOf(Training("b", "BTS"), 2), HitOf(Training("c", "CAP"), 3)];
        Hit[] merged = Ranking.Merge([list], Source.Formation, SearchArea.Radius, 10);
        Assert.Equal(["a", "c"], merged.Select(h => h.Id));
    }

    [Fact]
    public void A_lone_list_of_posted_offers_keeps_whole_recruiters_up_to_the_limit()
    {
        Hit[] list = [HitOf(Job("1", "r1"), 1), HitOf(Job("2", "r2"), 2), HitOf(Job("3", "r1"), 3), HitOf(Job("4", "r3"), 4)];
        Assert.Equal(["1", "2", "3"], Ranking.Merge([list], Source.Matcha, SearchArea.Radius, 2).Select(h => h.Id));
        Assert.Same(list, Ranking.Merge([list], Source.Matcha, SearchArea.Radius, 3));
    }

    [Fact]
    public void Trainings_merged_from_two_cells_keep_the_nearest_of_each_group_once()
    {
        // The same training (same titles, SIRET, diploma, postal code) in two cells: the merge keeps the nearer session.
        Hit[] cellA = [HitOf(Training("a1", "BTS"), 1), HitOf(Training("a2", "CAP"), 5)];
        Hit[] cellB = [HitOf(Training("b1", "BTS"), 2), HitOf(Training("b2", "BAC"), 3)];
        Assert.Equal(["a1", "b2", "a2"], Ranking.Merge([cellA, cellB], Source.Formation, SearchArea.Radius, 10).Select(h => h.Id));
        Assert.Equal(["a1", "b2"], Ranking.Merge([cellA, cellB], Source.Formation, SearchArea.Radius, 2).Select(h => h.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(19)]
    [InlineData(20)]
    [InlineData(150)]
    public void Offers_from_several_cells_come_out_nearest_first_ties_by_id_up_to_the_limit(int limit)
    {
        // Three cells' ranked lists (each in the contract's order), with distance ties inside and across the lists.
        var random = new Random(limit);
        Hit[][] cells = [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 5 + 2 * c)
            .Select(i => new Hit($"offer-{c}-{i:00}", Math.Round(random.NextDouble() * 4, 0), Version: 1, Cell: c + 1, Fingerprint.Of($"offer-{c}-{i:00}")))
            .OrderBy(h => h.DistanceKm).ThenBy(h => h.Id, StringComparer.Ordinal).ToArray())];
        string[] expected = [.. cells.SelectMany(h => h).OrderBy(h => h.DistanceKm).ThenBy(h => h.Id, StringComparer.Ordinal).Take(limit).Select(h => h.Id)];

        Hit[] merged = Ranking.Merge(cells, Source.PeJob, SearchArea.Radius, limit);

        Assert.Equal(expected, merged.Select(h => h.Id));
        Assert.Equal(Math.Min(limit, 21), merged.Length);
    }

    [Fact]
    public void A_group_key_changes_with_any_of_its_parts_and_not_otherwise()
    {
        FormationItem first = Training("a", "BTS");
        Fingerprint key = ListingGroup.KeyOf(first);
        Assert.NotEqual(key, ListingGroup.KeyOf(first with { IntituleLong = "CAP" }));
        Assert.NotEqual(key, ListingGroup.KeyOf(first with { CodePostal = "75002" }));
        // A character moved from one part to the next is another group.
        Assert.NotEqual(ListingGroup.KeyOf(first with { IntituleLong = "BTSX", IntituleCourt = "" }), ListingGroup.KeyOf(first with { IntituleLong = "BTS", IntituleCourt = "X" }));
        Assert.Equal(key, ListingGroup.KeyOf(first with { Id = "b", Latitude = 45 })); // another session of the same training
    }
}
