using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// The HTTP load generator of the benchmarks, as lean as wrk's: keep-alive HTTP/1.1 GETs over pooled sockets, each request
/// encoded once, each answer's status read and its body counted and dropped (Content-Length or chunked). The client
/// shares the machine's cores with the server it measures: per 67 KB answer of the peers' mix, <see cref="HttpClient"/>
/// spent 0.042 ms of CPU (headers parsed into collections, a response object, a content stream), this 0.032, and 0.025
/// with the process's socket completions inline (docs/BENCHMARKS.md, "The HTTP load").
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly IPEndPoint _server;
    private readonly string _host;
    private readonly ConcurrentQueue<Connection> _idle = new();

    public LoadClient(string url)
    {
        var uri = new Uri(url);
        _server = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _host = uri.Authority;
    }

    /// <summary>A GET of <paramref name="pathAndQuery"/>, encoded once for every time it is sent.</summary>
    public byte[] Request(string pathAndQuery) =>
        Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.1\r\nHost: {_host}\r\n\r\n");

    /// <summary>Sends a request on an idle connection (a new one when none is idle) and reads its whole answer.</summary>
    public async ValueTask<Answer> SendAsync(byte[] request)
    {
        if (!_idle.TryDequeue(out Connection? connection)) connection = await Connection.OpenAsync(_server);
        try
        {
            Answer answer = await connection.ExchangeAsync(request);
            if (answer.KeepAlive) _idle.Enqueue(connection);
            else connection.Dispose();
            return answer;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        while (_idle.TryDequeue(out Connection? connection)) connection.Dispose();
    }

    /// <summary>An answer's status and body length (as sent).</summary>
    public readonly record struct Answer(int Status, long BodyBytes, bool KeepAlive)
    {
        public bool IsSuccess => Status is >= 200 and < 300;
    }

    private sealed class Connection(Socket socket) : IDisposable
    {
        /// <summary>Larger than any answer's head; bodies stream through it.</summary>
        private readonly byte[] _buffer = new byte[128 * 1024];
        private int _start, _end;

        public static async Task<Connection> OpenAsync(IPEndPoint server)
        {
            var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(server);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            return new Connection(socket);
        }

        public async ValueTask<Answer> ExchangeAsync(byte[] request)
        {
            for (int sent = 0; sent < request.Length;)
            {
                sent += await socket.SendAsync(request.AsMemory(sent), SocketFlags.None);
            }
            int headEnd;
            while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0) await FillAsync();
            Head head = Head.Parse(_buffer.AsSpan(_start, headEnd));
            _start += headEnd + 4;
            long body = head.Chunked ? await SkipChunksAsync() : await SkipAsync(head.ContentLength);
            return new Answer(head.Status, body, head.KeepAlive);
        }

        private async ValueTask FillAsync()
        {
            Compact();
            int read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (read == 0) throw new IOException("The server closed the connection in the middle of an answer.");
            _end += read;
        }

        /// <summary>Moves the unread bytes to the front, to read more after them.</summary>
        private void Compact()
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new InvalidDataException("An HTTP head larger than the load client's buffer.");
        }

        private static long ChunkSize(ReadOnlySpan<byte> line)
        {
            int extension = line.IndexOf((byte)';');
            if (extension >= 0) line = line[..extension];
            if (!Utf8Parser.TryParse(line, out long size, out int consumed, 'x') || consumed != line.Length)
            {
                throw new InvalidDataException("A malformed chunk size.");
            }
            return size;
        }

        private async ValueTask<long> SkipAsync(long length)
        {
            long left = length;
            while (true)
            {
                int buffered = _end - _start;
                if (buffered >= left)
                {
                    _start += (int)left;
                    return length;
                }
                left -= buffered;
                _start = _end = 0;
                int read = await socket.ReceiveAsync(_buffer, SocketFlags.None);
                if (read == 0) throw new IOException("The server closed the connection in the middle of a body.");
                _end = read;
            }
        }

        private async ValueTask<long> SkipChunksAsync()
        {
            long total = 0;
            while (true)
            {
                int lineEnd;
                while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0) await FillAsync();
                long size = ChunkSize(_buffer.AsSpan(_start, lineEnd));
                _start += lineEnd + 2;
                if (size == 0)
                {
                    // No trailers are sent to it: the last chunk ends with an empty line.
                    await SkipAsync(2);
                    return total;
                }
                await SkipAsync(size + 2);
                total += size;
            }
        }

        public void Dispose() => socket.Dispose();
    }

    /// <summary>What the load needs of an answer's head.</summary>
    private readonly record struct Head(int Status, long ContentLength, bool Chunked, bool KeepAlive)
    {
        public static Head Parse(ReadOnlySpan<byte> head)
        {
            // "HTTP/1.1 200 OK"
            if (head.Length < 12 || !head.StartsWith("HTTP/1.1 "u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
            {
                throw new InvalidDataException("Not an HTTP/1.1 status line.");
            }
            long length = 0;
            bool chunked = false, keepAlive = true;
            int lineEnd = head.IndexOf("\r\n"u8);
            while (lineEnd >= 0)
            {
                head = head[(lineEnd + 2)..];
                lineEnd = head.IndexOf("\r\n"u8);
                ReadOnlySpan<byte> line = lineEnd >= 0 ? head[..lineEnd] : head;
                int colon = line.IndexOf((byte)':');
                if (colon < 0) continue;
                ReadOnlySpan<byte> name = line[..colon], value = line[(colon + 1)..].Trim((byte)' ');
                if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    if (!Utf8Parser.TryParse(value, out length, out int consumed) || consumed != value.Length)
                    {
                        throw new InvalidDataException("A malformed Content-Length.");
                    }
                }
                else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                {
                    chunked = value.IndexOf("chunked"u8) >= 0;
                }
                else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
                {
                    keepAlive = !Ascii.EqualsIgnoreCase(value, "close"u8);
                }
            }
            return new Head(status, length, chunked, keepAlive);
        }
    }
}
