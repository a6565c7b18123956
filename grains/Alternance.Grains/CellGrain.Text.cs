using System.Runtime.CompilerServices;
using Alternance.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Alternance.Grains;

/// <summary>
/// Free-text search in a cell: each <see cref="SourceIndex"/> the cell searches gets a <see cref="TextIndex"/> of the same
/// items, built on first use (and ahead of it in the background, see <see cref="PrepareText"/>) and dropped with it — so a
/// replaced feed, an upsert or a posted offer is searchable by text exactly when it is by radius.
/// </summary>
public sealed partial class CellGrain
{
    private readonly ConditionalWeakTable<SourceIndex, Lazy<TextIndex>> _textIndexes = new();
    private TextAnalyzer? _analyzer;

    private TextAnalyzer Analyzer => _analyzer ??= ServiceProvider.GetRequiredService<TextAnalyzer>();

    private TextIndex TextOf(SourceIndex index)
    {
        long cell = Cell;
        TextAnalyzer analyzer = Analyzer;
        return _textIndexes.GetValue(index, i => new Lazy<TextIndex>(() => new TextIndex(i, analyzer, cell))).Value;
    }

    /// <summary>Builds the text indexes of the cell's current snapshots in the background, so a first text search does not wait.</summary>
    private void PrepareText()
    {
        var indexes = new List<SourceIndex>(_slots.Length + 1);
        foreach (Slot? slot in _slots) if (slot is not null) indexes.Add(slot.Index);
        indexes.Add(_postedIndex);
        _ = Task.Run(() =>
        {
            foreach (SourceIndex index in indexes) TextOf(index);
        });
    }

    public async ValueTask<TextCellAnswer[]> SearchText(TextQuery[] queries)
    {
        _searches.Searched();
        var plan = new (SourceIndex? Feed, SourceIndex? Posted)[queries.Length];
        int work = 0;
        for (int q = 0; q < queries.Length; q++)
        {
            SourceIndex? feed = IndexFor(queries[q].Source, queries[q].Generation);
            SourceIndex? posted = queries[q].Source == Source.Matcha && _postedIndex.Count > 0 ? _postedIndex : null;
            plan[q] = (feed, posted);
            work += (feed?.Count ?? 0) + (posted?.Count ?? 0);
        }
        if (work < OffloadItems) return RunText(queries, plan);
        return await Task.Run(() => RunText(queries, plan));
    }

    private TextCellAnswer[] RunText(TextQuery[] queries, (SourceIndex? Feed, SourceIndex? Posted)[] plan)
    {
        var answers = new TextCellAnswer[queries.Length];
        for (int q = 0; q < queries.Length; q++)
        {
            var collector = new TextCollector(queries[q]);
            if (plan[q].Feed is { } feed) TextOf(feed).Search(queries[q], collector);
            if (plan[q].Posted is { } posted) TextOf(posted).Search(queries[q], collector);
            answers[q] = collector.ToAnswer(queries[q].Source);
        }
        return answers;
    }

    public ValueTask<TextCellStatistics> TextStatistics(Source source, long generation)
    {
        var builder = new TextStatisticsBuilder();
        if (IndexFor(source, generation) is { } feed) TextOf(feed).AddStatistics(builder);
        if (source == Source.Matcha && _postedIndex.Count > 0) TextOf(_postedIndex).AddStatistics(builder);
        return ValueTask.FromResult(builder.ToStatistics());
    }

    public ValueTask<TextCellPhrases> TextPhrases(Source source, long generation)
    {
        var builder = new TextPhrasesBuilder();
        if (IndexFor(source, generation) is { } feed) TextOf(feed).AddPhrases(builder);
        if (source == Source.Matcha && _postedIndex.Count > 0) TextOf(_postedIndex).AddPhrases(builder);
        return ValueTask.FromResult(builder.ToPhrases());
    }

    /// <summary>Bytes of the text indexes of this cell's live snapshots (estimated from their arrays).</summary>
    internal long TextIndexBytes()
    {
        long bytes = 0;
        foreach (Slot? slot in _slots) if (slot is not null) bytes += TextOf(slot.Index).EstimatedBytes();
        return bytes + TextOf(_postedIndex).EstimatedBytes();
    }
}
