namespace LogoutFunction.Tests.Support;

/// <summary>
/// Reads whole HTTP/1.1 messages (head and body, as raw bytes) from a stream, enough for
/// <see cref="FaultProxy"/> to pass Table requests and answers through unchanged: bodies framed
/// by Content-Length or chunked, no body for 1xx, 204 and 304 answers.
/// </summary>
internal sealed class HttpMessageReader(Stream stream)
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next message, or null when the peer closed the connection between messages.</summary>
    public async Task<byte[]?> ReadAsync(bool isResponse, CancellationToken cancellationToken)
    {
        var message = new MemoryStream();
        var head = await ReadHeadAsync(message, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        var lines = head.Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToLookup(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var status = isResponse ? int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture) : 0;
        if (isResponse && (status is < 200 or 204 or 304))
        {
            return message.ToArray();
        }

        if (headers["Transfer-Encoding"].Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            await CopyChunkedAsync(message, cancellationToken).ConfigureAwait(false);
        }
        else if (long.TryParse(headers["Content-Length"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            await CopyAsync(message, length, cancellationToken).ConfigureAwait(false);
        }

        return message.ToArray();
    }

    /// <summary>Waits until the peer closes the connection (or the token is cancelled), discarding what it sends.</summary>
    public async Task DrainUntilClosedAsync(CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            _start = _end;
        }
    }

    private async Task<string?> ReadHeadAsync(MemoryStream message, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (head.Count == 0)
                {
                    return null;
                }

                throw new IOException("The connection closed in the middle of a message head.");
            }

            head.Add(_buffer[_start++]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                message.Write([.. head]);
                return Encoding.ASCII.GetString([.. head]);
            }

            if (head.Count > MaxHeadBytes)
            {
                throw new IOException("A message head is too large.");
            }
        }
    }

    private async Task CopyChunkedAsync(MemoryStream message, CancellationToken cancellationToken)
    {
        while (true)
        {
            var sizeLine = await ReadLineAsync(message, cancellationToken).ConfigureAwait(false);
            var size = long.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                // Trailers, up to the empty line that ends the message.
                while ((await ReadLineAsync(message, cancellationToken).ConfigureAwait(false)).Length > 0)
                {
                }

                return;
            }

            await CopyAsync(message, size + 2, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ReadLineAsync(MemoryStream message, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("The connection closed in the middle of a chunked body.");
            }

            line.Add(_buffer[_start++]);
        }

        message.Write([.. line]);
        return Encoding.ASCII.GetString([.. line])[..^2];
    }

    private async Task CopyAsync(MemoryStream message, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new IOException("The connection closed in the middle of a body.");
            }

            var take = (int)Math.Min(count, _end - _start);
            message.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
