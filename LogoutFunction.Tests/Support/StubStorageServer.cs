namespace LogoutFunction.Tests.Support;

/// <summary>
/// A loopback HTTP server that answers every request with one fixed error, for the answers
/// Azurite never gives: the Table service's own (a missing role assignment, a busy server)
/// or, with a <c>null</c> error code, someone else's (a gateway's HTML page). It counts the
/// requests it gets, so a test can also show that nothing was asked of it.
/// </summary>
public sealed class StubStorageServer : IDisposable
{
    private const string GatewayPage = "<html><body><h1>404 Not Found</h1></body></html>";

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    /// <param name="errorCode">The Table service's error code (header and OData body); null answers a gateway's HTML page instead.</param>
    public StubStorageServer(int status, string? errorCode)
    {
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(() => AnswerAsync(status, errorCode));
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public int Requests => Volatile.Read(ref _requests);

    public string ConnectionString => AzuriteProcess.ConnectionStringFor(Port);

    private async Task AnswerAsync(int status, string? errorCode)
    {
        var body = errorCode is null
            ? System.Text.Encoding.UTF8.GetBytes(GatewayPage)
            : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["odata.error"] = new { code = errorCode, message = new { lang = "en-US", value = "stub" } },
            });
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            context.Response.StatusCode = status;
            context.Response.ContentType = errorCode is null ? "text/html" : "application/json;odata=minimalmetadata";
            if (errorCode is not null)
            {
                context.Response.Headers["x-ms-error-code"] = errorCode;
            }

            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
