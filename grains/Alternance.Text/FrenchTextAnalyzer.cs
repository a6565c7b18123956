using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Fr;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Alternance.Text;

/// <summary>
/// The French analysis chain of every indexed field and every query, all from Lucene.Net.Analysis.Common 4.8:
/// Unicode word segmentation (<see cref="StandardTokenizer"/>), elision (l', d', qu'...), lower case, French stop words
/// (removed before folding, as the list is accented), ASCII folding (é → e, œ → oe), French light stemming.
/// </summary>
public sealed class FrenchTextAnalyzer : Analyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new ElisionFilter(source, FrenchAnalyzer.DEFAULT_ARTICLES);
        stream = new LowerCaseFilter(Version, stream);
        stream = new StopFilter(Version, stream, FrenchAnalyzer.DefaultStopSet);
        stream = new ASCIIFoldingFilter(stream);
        stream = new FrenchLightStemFilter(stream);
        return new TokenStreamComponents(source, stream);
    }
}

/// <summary>A term of an analysed text and where its word is in that text.</summary>
public readonly record struct TextToken(string Term, int Start, int End);

/// <summary>
/// Analyses texts with <see cref="FrenchTextAnalyzer"/> (thread-safe: Lucene keeps one token stream per thread), and
/// holds the curated synonyms analysed the same way. One per process (a DI singleton).
/// </summary>
public sealed class TextAnalyzer : IDisposable
{
    private readonly FrenchTextAnalyzer _analyzer = new();

    public TextAnalyzer()
    {
        Synonyms = SynonymTable.Load(this);
    }

    /// <summary>The curated synonym groups (<c>synonyms.txt</c>), as analysed terms.</summary>
    public SynonymTable Synonyms { get; }

    /// <summary>Appends the terms of <paramref name="text"/>, in order (repeats included).</summary>
    public void Analyze(string? text, List<string> into)
    {
        if (string.IsNullOrEmpty(text)) return;
        using TokenStream stream = _analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            into.Add(term.ToString());
        }
        stream.End();
    }

    /// <summary>Appends the terms of <paramref name="text"/> with the offsets of their words, in order.</summary>
    public void Tokens(string? text, List<TextToken> into)
    {
        if (string.IsNullOrEmpty(text)) return;
        using TokenStream stream = _analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            into.Add(new TextToken(term.ToString(), offset.StartOffset, offset.EndOffset));
        }
        stream.End();
    }

    /// <summary>
    /// Calls <paramref name="onTerm"/> with each term's characters (a buffer reused between terms): indexing looks terms
    /// up without making a string per token.
    /// </summary>
    public void Analyze<TState>(string? text, ref TState state, TermVisitor<TState> onTerm)
    {
        if (string.IsNullOrEmpty(text)) return;
        using TokenStream stream = _analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            onTerm(ref state, term.Buffer.AsSpan(0, term.Length));
        }
        stream.End();
    }

    public void Dispose() => _analyzer.Dispose();
}

public delegate void TermVisitor<TState>(ref TState state, ReadOnlySpan<char> term);

/// <summary>Folds a name for exact comparison (the <c>organization_name</c> filter): ASCII-folded, lower case, single spaces.</summary>
public static class NameKey
{
    public static string Of(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        char[] input = name.Trim().ToCharArray();
        // ASCII folding can expand a character up to four (œ → oe, ß → ss...).
        char[] folded = new char[input.Length * 4];
        int length = ASCIIFoldingFilter.FoldToASCII(input, 0, folded, 0, input.Length);
        var builder = new System.Text.StringBuilder(length);
        bool space = false;
        for (int i = 0; i < length; i++)
        {
            char c = folded[i];
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
