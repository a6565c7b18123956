using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Alternance.Benchmarks.Peers;

/// <summary>
/// PostgreSQL + PostGIS in its tuned per-code KNN form (<c>../shared/notes/PEERS-BASELINE.md</c>, q2/q3): one row per
/// (item, code) with a smallint list id (source and code), a geography point (exact on a sphere, overseas
/// départements included — Lambert-93 would distort them), a GiST(list, geog) index (btree_gist), the table clustered on
/// it; a search is one statement: <c>unnest</c> of the lists + LATERAL <c>ORDER BY geog &lt;-&gt; p LIMIT n</c>, which
/// stops after n rows per list instead of sorting every match inside the radius (the planner trap of the plain
/// <c>ST_DWithin … ORDER BY distance</c> form).
/// </summary>
internal sealed class PostgisPeer : Peer
{
    /// <summary>The sphere geography's <c>&lt;-&gt;</c> measures on: PostGIS' WGS84 mean radius, (2a + b) / 3, in metres.</summary>
    private const double PostgisSphereMetres = 6371008.771415;
    private const double ContractMetres = GreatCircle.EarthRadiusKm * 1000;

    private const string Search = """
        SELECT l.list, t.id, t.lat, t.lon, t.d
        FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS g) p
        CROSS JOIN unnest($3::smallint[], $4::int[]) AS l(list, n)
        CROSS JOIN LATERAL (
            SELECT i.id, i.lat, i.lon, i.geog <-> p.g AS d
            FROM peer_items i
            WHERE i.list = l.list AND ST_DWithin(i.geog, p.g, $5, false)
            ORDER BY i.geog <-> p.g
            LIMIT l.n) t
        """;

    private readonly NpgsqlDataSource _source;
    private readonly int _postmaster;
    private string _version = "";

    private PostgisPeer(NpgsqlDataSource source, int postmaster)
    {
        _source = source;
        _postmaster = postmaster;
    }

    public override string Name => "PostGIS";

    public string Version => _version;

    /// <summary>Connects (a pool of prepared statements), loads the workload's items, builds and clusters the index.</summary>
    public static async Task<PostgisPeer> LoadAsync(string connectionString, PeerWorkload workload)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Statements are prepared per connection after their second use: the planning (0.3-0.6 ms) is paid once.
        builder.ConnectionStringBuilder.MaxAutoPrepare = 8;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        builder.ConnectionStringBuilder.MaxPoolSize = 64;
        builder.ConnectionStringBuilder.CommandTimeout = 3600;
        NpgsqlDataSource source = builder.Build();
        int postmaster;
        await using (var connection = await source.OpenConnectionAsync())
        {
            string dataDirectory = (string)(await new NpgsqlCommand("SHOW data_directory", connection).ExecuteScalarAsync())!;
            postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        }
        var peer = new PostgisPeer(source, postmaster);
        var clock = Stopwatch.StartNew();
        await using (var connection = await source.OpenConnectionAsync())
        {
            await Execute(connection, "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS btree_gist; DROP TABLE IF EXISTS peer_items; DROP TABLE IF EXISTS peer_staging;");
            await Execute(connection, "CREATE UNLOGGED TABLE peer_staging (list smallint NOT NULL, id text NOT NULL, lat float8 NOT NULL, lon float8 NOT NULL)");
            await using (var writer = await connection.BeginBinaryImportAsync("COPY peer_staging (list, id, lat, lon) FROM STDIN (FORMAT BINARY)"))
            {
                for (int s = 0; s < PeerWorkload.Sources.Length; s++)
                {
                    foreach (SearchItem item in workload.Items[PeerWorkload.Sources[s]])
                    {
                        foreach (string code in item.RomeCodes.Distinct())
                        {
                            await writer.StartRowAsync();
                            await writer.WriteAsync(PeerWorkload.ListOf(s, workload.CodeIndexOf(code)), NpgsqlDbType.Smallint);
                            await writer.WriteAsync(item.Id, NpgsqlDbType.Text);
                            await writer.WriteAsync(item.Latitude, NpgsqlDbType.Double);
                            await writer.WriteAsync(item.Longitude, NpgsqlDbType.Double);
                        }
                    }
                }
                await writer.CompleteAsync();
            }
            double copied = clock.Elapsed.TotalSeconds;
            var steps = new List<string> { $"COPY {copied:0.0} s" };
            foreach (var (step, sql) in new[]
            {
                ("table", "CREATE TABLE peer_items AS SELECT list, id, lat, lon, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog FROM peer_staging"),
                ("", "DROP TABLE peer_staging"),
                ("GiST", "CREATE INDEX peer_items_list_geog ON peer_items USING gist (list, geog)"),
                ("CLUSTER", "CLUSTER peer_items USING peer_items_list_geog"),
                ("VACUUM ANALYZE", "VACUUM ANALYZE peer_items"),
            })
            {
                var stepClock = Stopwatch.StartNew();
                await Execute(connection, sql);
                if (step.Length > 0) steps.Add($"{step} {stepClock.Elapsed.TotalSeconds:0.0} s");
            }
            Console.WriteLine($"  PostGIS load: {string.Join(", ", steps)}");
            peer.LoadSeconds = clock.Elapsed.TotalSeconds;
            peer._version = (string)(await new NpgsqlCommand("SELECT split_part(version(), ' ', 2) || ', PostGIS ' || PostGIS_Lib_Version()", connection).ExecuteScalarAsync())!;
            await peer.CheckSphereAsync(connection);
        }
        return peer;
    }

    /// <summary>The bound below relies on geography's KNN distance being a sphere distance: checked on a sample, loudly.</summary>
    private async Task CheckSphereAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT lat, lon, geog <-> ST_SetSRID(ST_MakePoint(2.3522, 48.8566), 4326)::geography FROM peer_items TABLESAMPLE SYSTEM (1) LIMIT 2000", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            double exact = GreatCircle.DistanceKm(48.8566, 2.3522, reader.GetDouble(0), reader.GetDouble(1)) * 1000;
            double expected = exact * (PostgisSphereMetres / ContractMetres);
            if (Math.Abs(reader.GetDouble(2) - expected) > 0.01 + 1e-9 * exact)
            {
                throw new InvalidOperationException($"PostGIS geography <-> gave {reader.GetDouble(2)} m where a sphere of {PostgisSphereMetres} m gives {expected} m: the exactness bound does not hold.");
            }
        }
    }

    protected override async Task FetchAsync(PeerQuery q, short[] lists, int[] limits, List<PeerRow>[] rows)
    {
        foreach (List<PeerRow> list in rows) list.Clear();
        await using NpgsqlCommand command = _source.CreateCommand(Search);
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = q.Longitude, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = q.Latitude, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = lists, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = limits, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        // The store's sphere is smaller than the contract's: its distances are shorter, so the contract's radius in
        // metres keeps every item the contract calls inside (and a few just outside, which the ranking drops).
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = q.RadiusKm * 1000, NpgsqlDbType = NpgsqlDbType.Double });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            short list = reader.GetInt16(0);
            int i = Array.IndexOf(lists, list);
            rows[i].Add(new PeerRow(reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)));
        }
    }

    /// <summary>Store metres on its sphere to contract km, shaved for rounding.</summary>
    protected override double LowerBoundKm(double peerDistance) =>
        Math.Max(0, peerDistance * (ContractMetres / PostgisSphereMetres) / 1000 * (1 - 1e-9) - 1e-5);

    public override async Task<string> MemoryAsync()
    {
        await using var connection = await _source.OpenConnectionAsync();
        long table = (long)(await new NpgsqlCommand("SELECT pg_table_size('peer_items')", connection).ExecuteScalarAsync())!;
        long index = (long)(await new NpgsqlCommand("SELECT pg_indexes_size('peer_items')", connection).ExecuteScalarAsync())!;
        long rows = (long)(await new NpgsqlCommand("SELECT count(*) FROM peer_items", connection).ExecuteScalarAsync())!;
        return $"{(table + index) / 1048576.0:N0} MiB (table {table / 1048576.0:N0} + GiST {index / 1048576.0:N0}; {rows:N0} rows)";
    }

    public override double ServerCpuSeconds() => ServerProcesses.CpuSecondsOfTree(_postmaster);

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync() => await _source.DisposeAsync();
}
