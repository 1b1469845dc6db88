using System.Net;
using System.Text.Json;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// A loopback HTTP server that answers every request with one fixed storage error, for the
/// answers Azurite never gives (a missing role assignment, a server that is busy).
/// </summary>
public sealed class StubStorageServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public StubStorageServer(int status, string errorCode)
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(() => AnswerAsync(status, errorCode));
    }

    public int Port { get; }

    public string ConnectionString => AzuriteServer.ConnectionStringFor(Port);

    private async Task AnswerAsync(int status, string errorCode)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
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

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json;odata=minimalmetadata";
            context.Response.Headers["x-ms-error-code"] = errorCode;
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
