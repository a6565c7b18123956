using System.Text.RegularExpressions;

namespace Alternance.Data.Tests;

/// <summary>The example lines of docs/data.md are real: each is read without rejection.</summary>
public sealed partial class DocsExamplesTests
{
    [GeneratedRegex(@"<!-- feed: (\w+) -->\s*```jsonl\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Example();

    private static string? FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "data.md");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    [Fact]
    public async Task Every_example_feed_line_in_the_docs_is_accepted()
    {
        var path = FindDocs();
        Assert.NotNull(path);
        var matches = Example().Matches(await File.ReadAllTextAsync(path));
        Assert.Equal(4, matches.Count);
        var seen = new HashSet<Source>();
        foreach (Match m in matches)
        {
            Assert.True(Sources.TryParseFeedName(m.Groups[1].Value, out var source), m.Groups[1].Value);
            seen.Add(source);
            var (items, report) = await Shared.Read(m.Groups[2].Value, source);
            Assert.True(report.Rejected == 0, $"{source}: {string.Join("; ", report.Errors)}");
            Assert.NotEmpty(items);
            Assert.All(items, i => Assert.Equal(source, i.Source));
        }
        Assert.Equal(4, seen.Count);
    }
}
