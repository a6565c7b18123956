using System.Buffers;
using System.IO.Compression;
using Alternance.Api.Json;

namespace Alternance.Api.Search;

/// <summary>How a search answer is encoded for a client (<c>Accept-Encoding</c>).</summary>
public enum ContentCoding : byte { Identity, Gzip, Brotli }

internal static class ContentCodings
{
    /// <summary>
    /// The coding the client prefers among Brotli and gzip (its q-values; Brotli on a tie, being both smaller and
    /// faster at the levels used here); identity when it accepts neither.
    /// </summary>
    public static ContentCoding Negotiate(HttpRequest request)
    {
        string? header = request.Headers.AcceptEncoding;
        if (string.IsNullOrEmpty(header)) return ContentCoding.Identity;
        double br = -1, gzip = -1, any = -1;
        ReadOnlySpan<char> rest = header;
        while (!rest.IsEmpty)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> item = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? default : rest[(comma + 1)..];
            int semicolon = item.IndexOf(';');
            ReadOnlySpan<char> name = (semicolon < 0 ? item : item[..semicolon]).Trim();
            double q = semicolon < 0 ? 1 : Quality(item[(semicolon + 1)..]);
            if (name.Equals("br", StringComparison.OrdinalIgnoreCase)) br = q;
            else if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) gzip = q;
            else if (name is "*") any = q;
        }
        if (br < 0) br = any;
        if (gzip < 0) gzip = any;
        if (br > 0 && br >= gzip) return ContentCoding.Brotli;
        if (gzip > 0) return ContentCoding.Gzip;
        return ContentCoding.Identity;
    }

    private static double Quality(ReadOnlySpan<char> parameters)
    {
        parameters = parameters.Trim();
        if (!parameters.StartsWith("q=", StringComparison.OrdinalIgnoreCase)) return 1;
        return double.TryParse(parameters[2..], System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out double q) ? Math.Clamp(q, 0, 1) : 0;
    }

    /// <summary>The tag of an encoded representation: strong validators differ between codings of the same content.</summary>
    public static string EntityTag(string hash, ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => $"\"{hash}-br\"",
        ContentCoding.Gzip => $"\"{hash}-gz\"",
        _ => $"\"{hash}\"",
    };

    public static string? HeaderValue(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Gzip => "gzip",
        _ => null,
    };
}

/// <summary>
/// An answer's body compressed as it is written: Brotli at quality 0 or gzip at zlib level 1, the fastest of each (a
/// 160 KB /jobs answer becomes ~30 KB). Written parts are staged and compressed into a pooled buffer, sent with its
/// Content-Length. Brotli stages 128 KB: at its fastest qualities it compresses each input block on its own, and in
/// 16 KB blocks a 500 KB answer came out 40 % bigger and took 2.5× the time (gzip's output does not depend on it).
/// </summary>
internal sealed class CompressedBody : IBufferWriter<byte>, IDisposable
{
    private const int GzipStagingBytes = 16 * 1024, BrotliStagingBytes = 128 * 1024;
    private readonly ContentCoding _coding;
    private readonly PooledBufferWriter _output = new(32 * 1024);
    private readonly byte[] _staging;
    private readonly int _stagingBytes;
    private int _staged;
    private BrotliEncoder _brotli;
    private readonly GZipStream? _gzip;

    public CompressedBody(ContentCoding coding)
    {
        _coding = coding;
        _stagingBytes = coding == ContentCoding.Brotli ? BrotliStagingBytes : GzipStagingBytes;
        _staging = ArrayPool<byte>.Shared.Rent(_stagingBytes);
        if (coding == ContentCoding.Brotli)
        {
            _brotli = new BrotliEncoder(quality: 0, window: 22);
        }
        else
        {
            _gzip = new GZipStream(new OutputStream(_output), new ZLibCompressionOptions { CompressionLevel = 1 }, leaveOpen: true);
        }
    }

    public ReadOnlyMemory<byte> Compressed => _output.WrittenMemory;

    public void Advance(int count) => _staged += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Room(sizeHint);
        return _staging.AsMemory(_staged);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Room(sizeHint);
        return _staging.AsSpan(_staged);
    }

    private void Room(int sizeHint)
    {
        if (_stagingBytes - _staged < Math.Max(1, Math.Min(sizeHint, _stagingBytes))) Compress(final: false);
    }

    /// <summary>Compresses what is staged; <paramref name="final"/> ends the stream.</summary>
    public void Complete() => Compress(final: true);

    private void Compress(bool final)
    {
        ReadOnlySpan<byte> input = _staging.AsSpan(0, _staged);
        _staged = 0;
        if (_gzip is not null)
        {
            _gzip.Write(input);
            if (final) _gzip.Dispose();
            return;
        }
        while (true)
        {
            Span<byte> destination = _output.GetSpan(Math.Max(4096, BrotliEncoder.GetMaxCompressedLength(input.Length) / 4));
            OperationStatus status = _brotli.Compress(input, destination, out int consumed, out int written, isFinalBlock: final);
            _output.Advance(written);
            input = input[consumed..];
            if (status == OperationStatus.Done) return;
            if (status != OperationStatus.DestinationTooSmall) throw new InvalidOperationException($"Brotli: {status}.");
        }
    }

    public void Dispose()
    {
        _gzip?.Dispose();
        if (_coding == ContentCoding.Brotli) _brotli.Dispose();
        ArrayPool<byte>.Shared.Return(_staging);
        _output.Dispose();
    }

    /// <summary>What GZipStream writes into: the pooled output.</summary>
    private sealed class OutputStream(PooledBufferWriter output) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => output.WrittenCount;
        public override long Position { get => output.WrittenCount; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            buffer.CopyTo(output.GetSpan(buffer.Length));
            output.Advance(buffer.Length);
        }
    }
}
