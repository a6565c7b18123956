using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Unicode;

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

    /// <summary>Bytes handed to a parsing worker at once (a chunk ends on a line end; a longer line makes a bigger chunk).</summary>
    internal const int DefaultChunkSize = 1 << 20;

    /// <summary>Chunks parsed at the same time: the parse is CPU-bound, the order of the output is kept.</summary>
    internal static readonly int DefaultParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Reads <paramref name="input"/> to its end, handing the items to <paramref name="onBatch"/> in batches of at most
    /// <paramref name="batchSize"/>, in feed order. Each batch is a new array the callee may keep. Chunks of the input
    /// are parsed on several threads, but batches are delivered one at a time, in order, in the caller's context: the
    /// awaits here keep it (no <c>ConfigureAwait(false)</c>), so a grain calling this gets its callback on its own scheduler.
    /// </summary>
    public static Task<FeedReport> ReadAsync(
        Stream input,
        Source source,
        Func<ReadOnlyMemory<SearchItem>, ValueTask> onBatch,
        int batchSize = 4096,
        CancellationToken ct = default) =>
        ReadAsync(input, source, onBatch, batchSize, DefaultChunkSize, DefaultParallelism, ct);

    /// <summary>The same with the chunking exposed (tests use tiny chunks to cross chunk boundaries often).</summary>
    internal static async Task<FeedReport> ReadAsync(
        Stream input,
        Source source,
        Func<ReadOnlyMemory<SearchItem>, ValueTask> onBatch,
        int batchSize,
        int chunkSize,
        int parallelism,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);

        var parsers = new ConcurrentQueue<LineParser>();
        var errors = new List<FeedError>();
        long lines = 0, itemCount = 0, rejected = 0;
        var batch = new SearchItem[batchSize];
        int batchCount = 0;
        var pending = new Queue<Task<ChunkResult>>();
        Stream? gzip = null;
        try
        {
            // Sniff the gzip magic (1F 8B) without needing a seekable stream: the first bytes are replayed.
            var head = new byte[2];
            int got = 0;
            while (got < 2)
            {
                int n = await input.ReadAsync(head.AsMemory(got), ct);
                if (n == 0) break;
                got += n;
            }
            Stream stream = new PrefixedStream(head[..got], input);
            if (got == 2 && head[0] == 0x1F && head[1] == 0x8B) stream = gzip = new GZipStream(stream, CompressionMode.Decompress);

            long nextLine = 1;
            bool first = true, eof = false;
            byte[]? carry = null; // the partial last line of the previous chunk
            int carryLength = 0;
            while (!eof)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(chunkSize, carryLength * 2));
                int length = 0;
                if (carry is not null)
                {
                    carry.AsSpan(0, carryLength).CopyTo(buffer);
                    length = carryLength;
                    ArrayPool<byte>.Shared.Return(carry);
                    carry = null;
                }
                // Fill the chunk; it must hold at least one whole line unless the input ends.
                int cut;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    int n = await stream.ReadAsync(buffer.AsMemory(length), ct);
                    if (n == 0) { eof = true; cut = length; break; }
                    length += n;
                    if (length < buffer.Length) continue;
                    int last = buffer.AsSpan(0, length).LastIndexOf((byte)'\n');
                    if (last >= 0) { cut = last + 1; break; }
                }
                if (cut < length)
                {
                    carryLength = length - cut;
                    carry = ArrayPool<byte>.Shared.Rent(carryLength);
                    buffer.AsSpan(cut, carryLength).CopyTo(carry);
                }
                if (cut == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    continue;
                }

                var chunk = new Chunk(buffer, cut, nextLine, first);
                nextLine += CountLines(buffer.AsSpan(0, cut));
                first = false;
                if (eof && pending.Count == 0)
                {
                    // Small feeds (and the tail of big ones) are parsed right here, without a hop to the pool.
                    pending.Enqueue(Task.FromResult(ParseChunk(chunk, parsers, source)));
                }
                else
                {
                    pending.Enqueue(Task.Run(() => ParseChunk(chunk, parsers, source), CancellationToken.None));
                }
                while (pending.Count > 0 && (pending.Count > parallelism || eof))
                    await Deliver(await pending.Dequeue());
            }
            while (pending.Count > 0) await Deliver(await pending.Dequeue());

            if (batchCount > 0)
            {
                itemCount += batchCount;
                ct.ThrowIfCancellationRequested();
                await onBatch(new ReadOnlyMemory<SearchItem>(batch, 0, batchCount));
            }
        }
        finally
        {
            // On failure, let in-flight chunks finish (they return their buffers) before the stream goes away.
            foreach (var t in pending)
                try { await t; } catch { /* their outcome no longer matters */ }
            if (gzip is not null) await gzip.DisposeAsync();
        }
        return new FeedReport(lines, itemCount, rejected, errors);

        async ValueTask Deliver(ChunkResult result)
        {
            lines += result.Lines;
            rejected += result.Rejected;
            foreach (var e in result.Errors)
                if (errors.Count < MaxErrors) errors.Add(e);
            foreach (var item in result.Items)
            {
                batch[batchCount++] = item;
                if (batchCount == batchSize)
                {
                    itemCount += batchCount;
                    ct.ThrowIfCancellationRequested();
                    await onBatch(batch);
                    batch = new SearchItem[batchSize];
                    batchCount = 0;
                }
            }
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, long FirstLine, bool IsFirst);

    private sealed class ChunkResult
    {
        public readonly List<SearchItem> Items = new();
        public readonly List<FeedError> Errors = new();
        public long Lines, Rejected;
    }

    // Lines in a chunk: its '\n's, plus a last line without one (only at the end of the input).
    private static long CountLines(ReadOnlySpan<byte> chunk) =>
        chunk.Count((byte)'\n') + (chunk[^1] == (byte)'\n' ? 0 : 1);

    /// <summary>Parses the lines of one chunk (on a worker thread), then gives its buffer back to the pool.</summary>
    private static ChunkResult ParseChunk(Chunk chunk, ConcurrentQueue<LineParser> parsers, Source source)
    {
        var result = new ChunkResult();
        if (!parsers.TryDequeue(out var parser)) parser = LineParser.For(source);
        var partErrors = new List<string>(4);
        try
        {
            ReadOnlySpan<byte> rest = chunk.Buffer.AsSpan(0, chunk.Length);
            if (chunk.IsFirst && rest.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) rest = rest[3..];
            long lineNumber = chunk.FirstLine - 1;
            while (!rest.IsEmpty)
            {
                int nl = rest.IndexOf((byte)'\n');
                var line = nl < 0 ? rest : rest[..nl];
                rest = nl < 0 ? default : rest[(nl + 1)..];
                lineNumber++;
                if (JsonValues.IsBlank(line)) continue;
                result.Lines++;
                partErrors.Clear();
                int before = result.Items.Count;
                var reason = ParseLine(parser, line, result.Items, partErrors);
                if (reason is not null)
                {
                    result.Items.RemoveRange(before, result.Items.Count - before);
                    result.Rejected++;
                    if (result.Errors.Count < MaxErrors) result.Errors.Add(new FeedError(lineNumber, reason));
                }
                foreach (var part in partErrors)
                {
                    result.Rejected++;
                    if (result.Errors.Count < MaxErrors) result.Errors.Add(new FeedError(lineNumber, part));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
            parsers.Enqueue(parser);
        }
        return result;
    }

    /// <summary>Reads a whole feed into memory (tests, tools and small feeds).</summary>
    public static async Task<(List<SearchItem> Items, FeedReport Report)> ReadAllAsync(Stream input, Source source, CancellationToken ct = default)
    {
        var items = new List<SearchItem>();
        var report = await ReadAsync(input, source, batch =>
        {
            foreach (var item in batch.Span) items.Add(item);
            return ValueTask.CompletedTask;
        }, 4096, ct);
        return (items, report);
    }

    /// <summary>Reads a feed file (gzip or not).</summary>
    public static async Task<FeedReport> ReadFileAsync(string path, Source source, Func<ReadOnlyMemory<SearchItem>, ValueTask> onBatch,
        int batchSize = 4096, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await ReadAsync(file, source, onBatch, batchSize, ct);
    }

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses one non-blank line; null when accepted, else why not (the caller drops the items it added).</summary>
    private static string? ParseLine(LineParser parser, ReadOnlySpan<byte> line, List<SearchItem> items, List<string> partErrors)
    {
        // The JSON reader does not check the bytes inside strings, and decoding would turn them into U+FFFD quietly.
        if (!Utf8.IsValid(line)) return $"invalid UTF-8 at byte {InvalidUtf8Offset(line)} (feeds are UTF-8)";
        try
        {
            var r = new Utf8JsonReader(line, ReaderOptions);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                return $"not a JSON object (starts with {DescribeStart(line)})";
            var reason = parser.Parse(ref r, items, partErrors);
            // Trailing content after the object ("{...} x", two objects on one line) is malformed JSON.
            if (r.TokenType != JsonTokenType.EndObject || r.CurrentDepth != 0 || r.Read())
            {
                partErrors.Clear();
                return "invalid JSON: unexpected content after the object";
            }
            if (reason is not null) partErrors.Clear();
            return reason;
        }
        catch (JsonException e)
        {
            partErrors.Clear();
            return $"invalid JSON at byte {e.BytePositionInLine ?? 0}: {FirstSentence(e.Message)}";
        }
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> line)
    {
        Utf8.ToUtf16(line, new char[line.Length], out int read, out _, replaceInvalidSequences: false);
        return read;
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
