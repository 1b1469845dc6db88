using System.IO.Compression;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// Application Insights' ingestion endpoint, as far as a worker's telemetry channel sees it, on a
/// free 127.0.0.1 port: every batch it is sent is kept as text (decompressed) and accepted.
/// </summary>
public sealed class TelemetryIngestionServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _batches = new();
    private readonly LoopbackHttpServer _server;

    public TelemetryIngestionServer() => _server = new LoopbackHttpServer(Answer);

    /// <summary>A connection string whose ingestion endpoint is this server.</summary>
    public string ConnectionString => $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:{_server.Port}/";

    /// <summary>Everything received so far, one batch after another.</summary>
    public string Received => string.Join('\n', _batches);

    private void Answer(HttpListenerContext context)
    {
        using var response = context.Response;
        Stream body = context.Request.InputStream;
        if (string.Equals(context.Request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using (var reader = new StreamReader(body, Encoding.UTF8))
        {
            _batches.Enqueue(reader.ReadToEnd());
        }

        var answer = Encoding.UTF8.GetBytes("""{"itemsReceived":0,"itemsAccepted":0,"errors":[]}""");
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength64 = answer.Length;
        response.OutputStream.Write(answer);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
