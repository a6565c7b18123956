using Alternance.Grains;

namespace Alternance.Tests.Engine;

/// <summary>
/// A cell keeps its nearest candidates by selecting the first limit of them, then sorting those. Whatever path the
/// selection and the sort take (partitions, or the heap they fall back on when pivots fall badly), the kept list must
/// be exactly the first <c>limit</c> of the full order: distance, then id rank.
/// </summary>
public sealed class CandidateRankingTests
{
    public static TheoryData<int?> Budgets => new() { null, 0, 1 };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void The_kept_candidates_are_the_first_of_the_full_order_ties_included(int? budget)
    {
        var random = new Random(41);
        foreach (int length in new[] { 0, 1, 2, 3, 16, 17, 40, 151, 600, 2_000 })
        {
            foreach (int distinct in new[] { 1, 5, 1_000_000 })
            {
                // Few distinct distances: most comparisons fall to the rank (items at one address).
                Candidate[] all = new Candidate[length];
                int[] ranks = Enumerable.Range(0, length).OrderBy(_ => random.Next()).ToArray();
                for (int i = 0; i < length; i++) all[i] = new Candidate(i, ranks[i], random.Next(distinct) * 0.25);
                Candidate[] expected = all.OrderBy(c => c.Distance).ThenBy(c => c.Rank).ToArray();

                foreach (int limit in new[] { 1, 2, 10, 150, 500 })
                {
                    if (limit > length) continue;
                    Candidate[] work = (Candidate[])all.Clone();
                    Span<Candidate> top = CandidateRanking.SelectSmallest(work.AsSpan(), limit, new ByDistance(), budget);
                    CandidateRanking.Sort(top, new ByDistance(), budget);
                    Assert.Equal(expected.Take(limit).Select(c => c.Index), top.ToArray().Select(c => c.Index));
                    // Nothing lost: the candidates left behind are the rest.
                    Assert.Equal(expected.Select(c => c.Index).Order(), work.Select(c => c.Index).Order());
                }

                Candidate[] sorted = (Candidate[])all.Clone();
                CandidateRanking.Sort(sorted.AsSpan(), new ByDistance(), budget);
                Assert.Equal(expected.Select(c => c.Index), sorted.Select(c => c.Index));
            }
        }
    }
}
