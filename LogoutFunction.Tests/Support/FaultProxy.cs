using System.Net.Sockets;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// A TCP proxy on a loopback port between the app and Azurite that passes HTTP/1.1 messages
/// through unchanged until told to misbehave (<see cref="Fault"/>): refuse connections, swallow
/// requests, delay them, answer as a refusing Table service or as a gateway, or reset the
/// connection after the store has carried the request out. The fault can change at any time;
/// setting <see cref="StoreFault.None"/> again is the store's recovery.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _clients = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private StoreFault _fault = StoreFault.None;
    private int _sinceFaultSet;
    private int _requests;
    private int _forwarded;

    public FaultProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        Port = LoopbackPort.Free();
        Listen();
    }

    public int Port { get; }

    public string ConnectionString => AzuriteProcess.ConnectionStringFor(Port);

    /// <summary>Requests the proxy received, and those it passed on to the store.</summary>
    public (int Received, int Forwarded) Counts => (Volatile.Read(ref _requests), Volatile.Read(ref _forwarded));

    public StoreFault Fault
    {
        get => _fault;
        set
        {
            lock (_gate)
            {
                _fault = value;
                Interlocked.Exchange(ref _sinceFaultSet, 0);
                if (value is StoreFault.Refused)
                {
                    _listener?.Stop();
                    _listener = null;
                    foreach (var client in _clients.Keys)
                    {
                        Reset(client);
                    }
                }
                else
                {
                    Listen();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
        }

        foreach (var client in _clients.Keys)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private void Listen()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _ = Task.Run(() => AcceptAsync(listener));
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _clients.TryAdd(client, 0);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        Socket? upstream = null;
        try
        {
            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            var requests = new HttpMessageReader(clientStream);
            HttpMessageReader? answers = null;
            while (await requests.ReadAsync(isResponse: false, _stop.Token) is { } request)
            {
                var fault = Decide(Interlocked.Increment(ref _requests), Interlocked.Increment(ref _sinceFaultSet));
                if (fault is StoreFault.Refused)
                {
                    Reset(client);
                    return;
                }

                if (fault is StoreFault.Silent)
                {
                    await requests.DrainUntilClosedAsync(_stop.Token);
                    return;
                }

                if (fault is StoreFault.Answer answer)
                {
                    await clientStream.WriteAsync(Synthetic(answer), _stop.Token);
                    continue;
                }

                if (fault is StoreFault.Delayed delayed)
                {
                    await Task.Delay(delayed.Duration, _stop.Token);
                }

                if (upstream is null)
                {
                    upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token);
                    answers = new HttpMessageReader(new NetworkStream(upstream, ownsSocket: false));
                }

                await upstream.SendAsync(request, _stop.Token);
                Interlocked.Increment(ref _forwarded);
                var stored = await answers!.ReadAsync(isResponse: true, _stop.Token) ?? throw new IOException("The store closed the connection.");
                if (fault is StoreFault.LostAnswer lost)
                {
                    await clientStream.WriteAsync(stored.AsMemory(0, Math.Min(lost.BytesOfAnswer, stored.Length)), _stop.Token);
                    Reset(client);
                    return;
                }

                await clientStream.WriteAsync(stored, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client or the store went away, or the proxy is stopping.
        }
        finally
        {
            upstream?.Dispose();
            _clients.TryRemove(client, out _);
            client.Dispose();
        }
    }

    /// <summary>The fault for a request, given its number overall and since the fault was set.</summary>
    private StoreFault Decide(int number, int sinceFaultSet) => _fault switch
    {
        StoreFault.Periodic { FirstOnly: true } once => sinceFaultSet == 1 ? once.Fault : StoreFault.None,
        StoreFault.Periodic periodic => number % periodic.N == 0 ? periodic.Fault : StoreFault.None,
        var fault => fault,
    };

    private static byte[] Synthetic(StoreFault.Answer answer)
    {
        var (body, contentType) = answer.ErrorCode is null
            ? (Encoding.UTF8.GetBytes("<html><head><title>Not Found</title></head><body>gateway</body></html>"), "text/html")
            : (JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["odata.error"] = new { code = answer.ErrorCode, message = new { lang = "en-US", value = "fault proxy" } } }), "application/json;odata=minimalmetadata");
        var head = $"HTTP/1.1 {answer.StatusCode} {(HttpStatusCode)answer.StatusCode}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n"
            + (answer.ErrorCode is null ? "" : $"x-ms-error-code: {answer.ErrorCode}\r\n") + "\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    /// <summary>Closes with a TCP reset, as a crashed store or a dropped connection would.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
