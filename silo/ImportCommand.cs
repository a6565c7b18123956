using System.CommandLine;
using System.Diagnostics;
using Alternance.Data;
using Alternance.Search;

namespace Alternance.Silo;

/// <summary><c>import &lt;feed&gt; &lt;file&gt; [--mode replace|upsert]</c>: loads a JSON Lines feed (gzip accepted) into the running cluster.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var feed = new Argument<string>("feed") { Description = "formations, peJobs, recruiters or companies" };
        var file = new Argument<FileInfo>("file") { Description = "JSON Lines, one object a line; .gz accepted" };
        var mode = new Option<string>("--mode") { Description = "replace (the whole set, swapped atomically) or upsert", DefaultValueFactory = _ => "replace" };
        var timeout = OperatorCommand.TimeoutOption();
        var command = new Command("import", "Import a feed into the running cluster. " + OperatorCommand.ExitCodes) { feed, file, mode, timeout };
        command.SetAction((result, ct) => OperatorCommand.RunAsync("import", async () =>
        {
            if (!OperatorCommand.TryGetOverrides(result, out IReadOnlyList<string> overrides))
            {
                return OperatorCommand.BadArguments;
            }
            if (!Sources.TryParseFeedName(result.GetValue(feed), out Source source))
            {
                Console.Error.WriteLine("error: feed must be one of formations, peJobs, recruiters, companies");
                return OperatorCommand.BadArguments;
            }
            string modeName = result.GetValue(mode)!;
            if (modeName is not ("replace" or "upsert"))
            {
                Console.Error.WriteLine("error: --mode must be replace or upsert");
                return OperatorCommand.BadArguments;
            }
            FileInfo input = result.GetValue(file)!;
            if (!input.Exists)
            {
                Console.Error.WriteLine($"error: {input.FullName}: no such file");
                return OperatorCommand.BadArguments;
            }
            await using ClusterConnection cluster = await ClusterClient.ConnectAsync(overrides, OperatorCommand.Timeout(result, timeout), ct);
            var importer = cluster.Services.GetRequiredService<FeedImporter>();
            var progress = new ConsoleProgress();
            ImportSession session = modeName == "replace"
                ? await importer.BeginReplaceAsync(source, progress)
                : await importer.BeginUpsertAsync(source, progress);
            // Interrupted or failed before the commit, a replace is abandoned: the live generation stays as it was.
            await using (session)
            {
                await using FileStream stream = input.OpenRead();
                FeedReport read = await FeedReader.ReadAsync(stream, source, batch => session.AddAsync(batch), ct: ct);
                foreach (FeedError error in read.Errors)
                {
                    session.Reject($"line {error.Line}: {error.Reason}");
                }
                ct.ThrowIfCancellationRequested();
                ImportReport report = await session.CommitAsync();
                progress.Done();
                Console.WriteLine($"{source.FeedName()} {modeName}: {report.Items} items in {report.Cells} cells, {read.Rejected + report.Rejected - read.Errors.Count} rejected, generation {report.Generation}, {report.Elapsed.TotalSeconds:0.0} s");
                foreach (string error in report.Errors.Take(20))
                {
                    Console.WriteLine("  " + error);
                }
                return report.Rejected > 0 ? 1 : 0;
            }
        }, ct));
        return command;
    }

    /// <summary>One status line, rewritten at most ten times a second.</summary>
    private sealed class ConsoleProgress : IProgress<ImportProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastTick;

        public void Report(ImportProgress value)
        {
            long now = _clock.ElapsedMilliseconds;
            if (now - _lastTick < 100) return;
            _lastTick = now;
            double rate = value.Items / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            Console.Write($"\r{value.Items,10:N0} items  {value.Cells,5} cells  {rate,10:N0} items/s   ");
        }

        public void Done() => Console.WriteLine();
    }
}

/// <summary><c>delete &lt;feed&gt; &lt;id&gt;</c>: removes one item from the live generation.</summary>
public static class DeleteCommand
{
    public static Command Create()
    {
        var feed = new Argument<string>("feed") { Description = "formations, peJobs, recruiters or companies" };
        var id = new Argument<string>("id") { Description = "the item's id: a training's cle_ministere_educatif, an offer's id (a posted one's job id), a company's SIRET" };
        var timeout = OperatorCommand.TimeoutOption();
        var command = new Command("delete", "Delete one item by id from the live generation of its feed. " + OperatorCommand.ExitCodes) { feed, id, timeout };
        command.SetAction((result, ct) => OperatorCommand.RunAsync("delete", async () =>
        {
            if (!OperatorCommand.TryGetOverrides(result, out IReadOnlyList<string> overrides))
            {
                return OperatorCommand.BadArguments;
            }
            if (!Sources.TryParseFeedName(result.GetValue(feed), out Source source))
            {
                Console.Error.WriteLine("error: feed must be one of formations, peJobs, recruiters, companies");
                return OperatorCommand.BadArguments;
            }
            await using ClusterConnection cluster = await ClusterClient.ConnectAsync(overrides, OperatorCommand.Timeout(result, timeout), ct);
            bool deleted = await cluster.Services.GetRequiredService<FeedImporter>().DeleteAsync(source, result.GetValue(id)!);
            Console.WriteLine(deleted ? "deleted" : "not found");
            return deleted ? 0 : 1;
        }, ct));
        return command;
    }
}

/// <summary><c>generate --out DIR [--scale S] [--seed N] [--today yyyy-MM-dd] [--gzip]</c>: writes the bundled dataset as feed files.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for the four feed files", Required = true };
        var scale = new Option<double>("--scale") { Description = "1 = real scale (~475,000 items)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "the generator's seed: the same seed, scale and day give the same feeds", DefaultValueFactory = _ => 20261129 };
        var today = new Option<DateOnly?>("--today") { Description = "the day the offers' dates are relative to (yyyy-MM-dd; default: today, UTC)" };
        var gzip = new Option<bool>("--gzip") { Description = "write .jsonl.gz" };
        var command = new Command("generate", "Write the bundled (synthetic) dataset as JSON Lines feeds; needs no cluster.") { output, scale, seed, today, gzip };
        command.SetAction((result, ct) => OperatorCommand.RunAsync("generate", async () =>
        {
            var clock = Stopwatch.StartNew();
            DirectoryInfo dir = result.GetValue(output)!;
            dir.Create();
            DateOnly day = result.GetValue(today) ?? DateOnly.FromDateTime(DateTime.UtcNow);
            var generator = new DatasetGenerator(ReferenceData.Load(), new GeneratorOptions
            {
                Scale = result.GetValue(scale),
                Seed = result.GetValue(seed),
                Today = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            });
            await generator.WriteFeedsAsync(dir.FullName, result.GetValue(gzip));
            Console.WriteLine($"feeds written to {dir.FullName} in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }, ct));
        return command;
    }
}
