using System.Numerics;

namespace Alternance.Grains;

/// <summary>An item within the circle: its position, its id's rank (the tie-break), its distance (16 bytes).</summary>
internal readonly struct Candidate(int index, int rank, double distance)
{
    public readonly int Index = index;
    public readonly int Rank = rank;
    public readonly double Distance = distance;
}

/// <summary>
/// Radius order inside a cell: distance, then id — <see cref="Ranking.CompareByDistance"/> on candidates, kept apart for
/// speed: the id's rank (its place in ordinal order, fixed when the index is built) stands for the id, so a comparison
/// reads two numbers instead of two strings. The brute-force tests keep the two equal.
/// </summary>
internal readonly struct ByDistance : IComparer<Candidate>
{
    // Radius candidates have real distances (never NaN): plain comparisons, without double.CompareTo's NaN branches.
    public int Compare(Candidate a, Candidate b) =>
        a.Distance < b.Distance ? -1 : a.Distance > b.Distance ? 1 : a.Rank.CompareTo(b.Rank);
}

/// <summary>How a cell ranks its candidates: the first limit of them selected, then sorted, each step specialised for
/// the order (a struct) so that comparisons inline.</summary>
internal static class CandidateRanking
{
    /// <summary>
    /// Moves the <paramref name="count"/> smallest candidates to the front and returns them, unordered: quickselect
    /// (linear on average; a dense cell's last circle holds a few times the limit, which a bounded heap paid for in
    /// log-limit steps per candidate), ending in a heap selection if pivots keep falling badly.
    /// </summary>
    /// <param name="partitionBudget">Partitions before the heap takes over (tests set it to reach the heap).</param>
    public static Span<Candidate> SelectSmallest<TOrder>(Span<Candidate> all, int count, TOrder order, int? partitionBudget = null) where TOrder : struct, IComparer<Candidate>
    {
        int lo = 0, hi = all.Length - 1, target = count - 1;
        int budget = partitionBudget ?? 2 * BitOperations.Log2((uint)all.Length) + 2;
        while (lo < hi)
        {
            if (budget-- == 0)
            {
                // Everything before lo is smaller than [lo, hi], everything after hi larger: select within.
                HeapSelect(all[lo..(hi + 1)], target - lo + 1, order);
                break;
            }
            var (left, right) = Partition(all, lo, hi, order);
            if (target <= left) hi = left;
            else if (target >= right) lo = right;
            else break;
        }
        return all[..count];
    }

    /// <summary>Sorts ranked candidates: introsort specialised for <typeparamref name="TOrder"/> (Span.Sort boxes a
    /// struct comparer and calls it through a delegate).</summary>
    /// <param name="depthBudget">Partitions before heapsort takes over (tests set it to reach the heapsort).</param>
    public static void Sort<TOrder>(Span<Candidate> span, TOrder order, int? depthBudget = null) where TOrder : struct, IComparer<Candidate> =>
        IntroSort(span, order, depthBudget ?? 2 * BitOperations.Log2((uint)Math.Max(1, span.Length)) + 2);

    private static void IntroSort<TOrder>(Span<Candidate> span, TOrder order, int depth) where TOrder : struct, IComparer<Candidate>
    {
        while (span.Length > 16)
        {
            if (depth-- == 0)
            {
                for (int i = span.Length / 2 - 1; i >= 0; i--) SiftDown(span, i, order);
                for (int end = span.Length - 1; end > 0; end--)
                {
                    (span[0], span[end]) = (span[end], span[0]);
                    SiftDown(span[..end], 0, order);
                }
                return;
            }
            var (left, right) = Partition(span, 0, span.Length - 1, order);
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if (left + 1 < span.Length - right)
            {
                IntroSort(span[..(left + 1)], order, depth);
                span = span[right..];
            }
            else
            {
                IntroSort(span[right..], order, depth);
                span = span[..(left + 1)];
            }
        }
        for (int i = 1; i < span.Length; i++)
        {
            Candidate c = span[i];
            int j = i - 1;
            while (j >= 0 && order.Compare(c, span[j]) < 0)
            {
                span[j + 1] = span[j];
                j--;
            }
            span[j + 1] = c;
        }
    }

    /// <summary>Hoare partition of [lo, hi] around a median of three: after it, [lo, left] ≤ pivot ≤ [right, hi] and left &lt; right.</summary>
    private static (int Left, int Right) Partition<TOrder>(Span<Candidate> a, int lo, int hi, TOrder order) where TOrder : struct, IComparer<Candidate>
    {
        int mid = lo + ((hi - lo) >> 1);
        if (order.Compare(a[mid], a[lo]) < 0) (a[mid], a[lo]) = (a[lo], a[mid]);
        if (order.Compare(a[hi], a[lo]) < 0) (a[hi], a[lo]) = (a[lo], a[hi]);
        if (order.Compare(a[hi], a[mid]) < 0) (a[hi], a[mid]) = (a[mid], a[hi]);
        Candidate pivot = a[mid];
        int i = lo, j = hi;
        while (i <= j)
        {
            while (order.Compare(a[i], pivot) < 0) i++;
            while (order.Compare(pivot, a[j]) < 0) j--;
            if (i <= j)
            {
                (a[i], a[j]) = (a[j], a[i]);
                i++;
                j--;
            }
        }
        return (j, i);
    }

    /// <summary>Moves the <paramref name="count"/> smallest to the front with a bounded max-heap.</summary>
    private static void HeapSelect<TOrder>(Span<Candidate> all, int count, TOrder order) where TOrder : struct, IComparer<Candidate>
    {
        Span<Candidate> heap = all[..count];
        for (int i = count / 2 - 1; i >= 0; i--) SiftDown(heap, i, order);
        for (int k = count; k < all.Length; k++)
        {
            if (order.Compare(all[k], heap[0]) < 0)
            {
                (all[k], heap[0]) = (heap[0], all[k]);
                SiftDown(heap, 0, order);
            }
        }
    }

    private static void SiftDown<TOrder>(Span<Candidate> heap, int i, TOrder order) where TOrder : struct, IComparer<Candidate>
    {
        while (true)
        {
            int largest = i, l = 2 * i + 1, r = l + 1;
            if (l < heap.Length && order.Compare(heap[l], heap[largest]) > 0) largest = l;
            if (r < heap.Length && order.Compare(heap[r], heap[largest]) > 0) largest = r;
            if (largest == i) return;
            (heap[i], heap[largest]) = (heap[largest], heap[i]);
            i = largest;
        }
    }
}
