namespace Alternance.Api.Search;

/// <summary>
/// What the read routes need from the engine: one scatter/gather for all of a request's sources, and one item by id.
/// The default is the engine itself; tests wrap it to inject per-source failures.
/// </summary>
public interface ISearchBackend
{
    Task<Alternance.Search.SearchOutcome[]> SearchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken);

    Task<SearchItem?> GetAsync(Source source, string id, CancellationToken cancellationToken);

    /// <summary>The items of these hits, from their cells (<see cref="Alternance.Search.SearchEngine.FetchAsync"/>).</summary>
    Task<SearchItem?[]> FetchAsync(Source source, long generation, IReadOnlyList<Hit> hits, CancellationToken cancellationToken);

    /// <summary>Every item the queries find anywhere, at one snapshot (<see cref="Alternance.Search.SearchEngine.ListAllAsync"/>).</summary>
    IAsyncEnumerable<SearchItem> ListAllAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken);
}

public sealed class EngineSearchBackend(Alternance.Search.SearchEngine engine) : ISearchBackend
{
    public Task<Alternance.Search.SearchOutcome[]> SearchAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) =>
        engine.SearchAsync(queries, cancellationToken);

    public Task<SearchItem?> GetAsync(Source source, string id, CancellationToken cancellationToken) =>
        engine.GetAsync(source, id).WaitAsync(cancellationToken);

    public Task<SearchItem?[]> FetchAsync(Source source, long generation, IReadOnlyList<Hit> hits, CancellationToken cancellationToken) =>
        engine.FetchAsync(source, generation, hits, cancellationToken);

    public IAsyncEnumerable<SearchItem> ListAllAsync(IReadOnlyList<SourceQuery> queries, CancellationToken cancellationToken) =>
        engine.ListAllAsync(queries, cancellationToken);
}
