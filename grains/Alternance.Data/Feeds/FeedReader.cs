using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace Alternance.Data;

/// <summary>
/// Reads the four import feeds: JSON Lines, UTF-8 (a BOM is tolerated), one object a line, gzip detected by its magic
/// bytes. Field names are the sources' own (see docs/data.md), unknown fields are ignored. A line that fails validation
/// is reported with its 1-based number and the reason, and reading goes on.
/// </summary>
public static class FeedReader
{
    /// <summary>How many errors a <see cref="FeedReport"/> keeps (all are counted).</summary>
    public const int MaxErrors = 1000;

    private const int InitialBufferSize = 1 << 20;

    /// <summary>
    /// Reads <paramref name="input"/> to its end, handing the items to <paramref name="onBatch"/> in batches of at most
    /// <paramref name="batchSize"/>, in feed order. Each batch is a new array the callee may keep.
    /// </summary>
    public static async Task<FeedReport> ReadAsync(
        Stream input,
        Source source,
        Func<ReadOnlyMemory<SearchItem>, ValueTask> onBatch,
        int batchSize = 4096,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        var parser = LineParser.For(source);
        var lineItems = new List<SearchItem>(16);
        var partErrors = new List<string>(4);
        var errors = new List<FeedError>();
        long lines = 0, itemCount = 0, rejected = 0, lineNumber = 0;
        var batch = new SearchItem[batchSize];
        int batchCount = 0;

        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        Stream? gzip = null;
        try
        {
            // Sniff the gzip magic (1F 8B) without needing a seekable stream: the first bytes are replayed.
            int start = 0, end = 0;
            while (end < 2)
            {
                int n = await input.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
                if (n == 0) break;
                end += n;
            }
            var stream = input;
            if (end >= 2 && buffer[0] == 0x1F && buffer[1] == 0x8B)
            {
                stream = gzip = new GZipStream(new PrefixedStream(buffer.AsSpan(0, end).ToArray(), input), CompressionMode.Decompress);
                end = 0;
            }

            bool eof = false, first = true;
            int scanned = 0; // bytes of [start, end) already known to hold no '\n'
            while (true)
            {
                int nl = buffer.AsSpan(start + scanned, end - start - scanned).IndexOf((byte)'\n');
                ReadOnlyMemory<byte> line;
                if (nl >= 0)
                {
                    line = buffer.AsMemory(start, scanned + nl);
                    start += scanned + nl + 1;
                    scanned = 0;
                }
                else if (!eof)
                {
                    // Need more: move the partial line to the front, grow when a single line fills the buffer.
                    scanned = end - start;
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    int n = await stream.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
                    if (n == 0) eof = true;
                    end += n;
                    continue;
                }
                else if (start < end)
                {
                    line = buffer.AsMemory(start, end - start); // last line without '\n'
                    start = end;
                    scanned = 0;
                }
                else break;

                lineNumber++;
                var span = line.Span;
                if (first)
                {
                    first = false;
                    if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
                }
                if (JsonValues.IsBlank(span)) continue;
                lines++;

                lineItems.Clear();
                partErrors.Clear();
                var reason = ParseLine(parser, span, lineItems, partErrors);
                if (reason is not null)
                {
                    rejected++;
                    if (errors.Count < MaxErrors) errors.Add(new FeedError(lineNumber, reason));
                }
                foreach (var part in partErrors)
                {
                    rejected++;
                    if (errors.Count < MaxErrors) errors.Add(new FeedError(lineNumber, part));
                }

                foreach (var item in lineItems)
                {
                    batch[batchCount++] = item;
                    if (batchCount == batchSize)
                    {
                        itemCount += batchCount;
                        ct.ThrowIfCancellationRequested();
                        await onBatch(batch).ConfigureAwait(false);
                        batch = new SearchItem[batchSize];
                        batchCount = 0;
                    }
                }
            }

            if (batchCount > 0)
            {
                itemCount += batchCount;
                ct.ThrowIfCancellationRequested();
                await onBatch(new ReadOnlyMemory<SearchItem>(batch, 0, batchCount)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (gzip is not null) await gzip.DisposeAsync().ConfigureAwait(false);
        }
        return new FeedReport(lines, itemCount, rejected, errors);
    }

    /// <summary>Reads a whole feed into memory (tests, tools and small feeds).</summary>
    public static async Task<(List<SearchItem> Items, FeedReport Report)> ReadAllAsync(Stream input, Source source, CancellationToken ct = default)
    {
        var items = new List<SearchItem>();
        var report = await ReadAsync(input, source, batch =>
        {
            foreach (var item in batch.Span) items.Add(item);
            return ValueTask.CompletedTask;
        }, 4096, ct).ConfigureAwait(false);
        return (items, report);
    }

    /// <summary>Reads a feed file (gzip or not).</summary>
    public static async Task<FeedReport> ReadFileAsync(string path, Source source, Func<ReadOnlyMemory<SearchItem>, ValueTask> onBatch,
        int batchSize = 4096, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await ReadAsync(file, source, onBatch, batchSize, ct).ConfigureAwait(false);
    }

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses one non-blank line; null when accepted, else why not.</summary>
    private static string? ParseLine(LineParser parser, ReadOnlySpan<byte> line, List<SearchItem> items, List<string> partErrors)
    {
        try
        {
            var r = new Utf8JsonReader(line, ReaderOptions);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                return $"not a JSON object (starts with {DescribeStart(line)})";
            var reason = parser.Parse(ref r, items, partErrors);
            // Trailing content after the object ("{...} x", two objects on one line) is malformed JSON.
            if (r.TokenType != JsonTokenType.EndObject || r.CurrentDepth != 0 || r.Read())
            {
                items.Clear();
                partErrors.Clear();
                return "invalid JSON: unexpected content after the object";
            }
            if (reason is not null)
            {
                items.Clear();
                partErrors.Clear();
            }
            return reason;
        }
        catch (JsonException e)
        {
            items.Clear();
            partErrors.Clear();
            return $"invalid JSON at byte {e.BytePositionInLine ?? 0}: {FirstSentence(e.Message)}";
        }
    }

    private static string DescribeStart(ReadOnlySpan<byte> line)
    {
        var t = line.TrimStart(" \t"u8);
        return t.IsEmpty ? "nothing" : t[0] switch
        {
            (byte)'[' => "an array",
            (byte)'"' => "a string",
            _ => $"'{(char)t[0]}'",
        };
    }

    // System.Text.Json messages end with "LineNumber: 0 | BytePositionInLine: 12." which is noise here.
    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).TrimEnd();
    }
}

/// <summary>A read-only stream replaying a few bytes already read, then the rest of the inner stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
{
    private int _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_offset < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _offset);
            prefix.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }
        return inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset < prefix.Length) return ValueTask.FromResult(Read(buffer.Span));
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
