using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Alternance.Api.Json;

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from the shared pool; return it with <see cref="Dispose"/>.</summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 16 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int WrittenCount => _written;
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 256) sizeHint = 256;
        if (_buffer.Length - _written >= sizeHint) return;
        int size = Math.Max(_buffer.Length * 2, _written + sizeHint);
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}

/// <summary>
/// Writes a JSON body synchronously into a pooled buffer (one <see cref="Utf8JsonWriter"/> per thread, reset per
/// use), then sends it with a Content-Length in one write.
/// </summary>
public static class PooledJson
{
    /// <summary>French text as UTF-8 rather than \u escapes; the body is served as application/json only.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public delegate void BodyWriter<TState>(Utf8JsonWriter writer, TState state);

    /// <summary>Writes a small JSON value into a new array (parts of an answer that are not cached).</summary>
    public static byte[] ToArray<TState>(TState state, BodyWriter<TState> write)
    {
        using var buffer = new PooledBufferWriter(1024);
        Write(buffer, state, write);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a JSON body into a pooled buffer the caller disposes (an answer tagged or encoded before it is sent).</summary>
    public static PooledBufferWriter Render<TState>(TState state, BodyWriter<TState> write)
    {
        var buffer = new PooledBufferWriter();
        try
        {
            Write(buffer, state, write);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    public static async Task SendAsync<TState>(HttpResponse response, int status, TState state, BodyWriter<TState> write)
    {
        using var buffer = new PooledBufferWriter();
        Write(buffer, state, write);
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, response.HttpContext.RequestAborted);
    }

    /// <summary>Writes with this thread's reused <see cref="Utf8JsonWriter"/>, detached again afterwards.</summary>
    private static void Write<TState>(PooledBufferWriter buffer, TState state, BodyWriter<TState> write)
    {
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(Stream.Null, WriterOptions);
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Stream.Null);
        }
    }
}
