namespace LogoutFunction.Tests.Support;

/// <summary>
/// The token endpoint App Service and Functions give a managed identity
/// (<c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c>), on a free 127.0.0.1 port: it issues a
/// made-up token to any request that carries the header, and records each request's query.
/// </summary>
public sealed class ManagedIdentityEndpoint : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly ConcurrentQueue<(string Query, bool HasHeader)> _requests = new();

    public ManagedIdentityEndpoint()
    {
        _server = new LoopbackHttpServer(Answer);
    }

    public int Port => _server.Port;

    public string Header { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The settings that point a worker's managed-identity credential here.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["IDENTITY_ENDPOINT"] = $"http://127.0.0.1:{Port}/msi/token",
        ["IDENTITY_HEADER"] = Header,
    };

    public IReadOnlyList<(string Query, bool HasHeader)> Requests => [.. _requests];

    private void Answer(HttpListenerContext context)
    {
        var hasHeader = context.Request.Headers["X-IDENTITY-HEADER"] == Header;
        _requests.Enqueue((context.Request.Url?.Query ?? "", hasHeader));
        using var response = context.Response;
        var body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["access_token"] = "made-up-" + Guid.NewGuid().ToString("N"),
            ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = "https://storage.azure.com",
            ["token_type"] = "Bearer",
        });
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = hasHeader ? 200 : 400;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
