namespace LogoutFunction.Tests.Support;

/// <summary>
/// An identity provider's public side on a free 127.0.0.1 port: an OpenID Connect discovery
/// document and the JWKS it points to, with keys that can be rotated, an outage that can be
/// switched on, answers that break the rules for key documents (a redirect, 2 MiB), and a
/// count of every fetch.
/// </summary>
public sealed class IdentityProviderServer : IAsyncDisposable
{
    /// <summary>The audience of the API these tests protect; <c>Jwt__Audience</c> is required with an issuer.</summary>
    public const string Audience = "api://logout-tests";

    private readonly LoopbackHttpServer _server;
    private volatile string _jwks;
    private int _discoveryFetches;
    private int _jwksFetches;
    private int _redirectTargetFetches;

    private IdentityProviderServer(params (TestKey Key, string? Kid)[] keys)
    {
        _jwks = TestKey.JwksOf(keys);
        _server = new LoopbackHttpServer(Answer);
        Authority = $"http://127.0.0.1:{Port}/tenant";
        Issuer = Authority;
    }

    public static IdentityProviderServer Start(params (TestKey Key, string? Kid)[] keys) => new(keys);

    public int Port => _server.Port;

    /// <summary>What <c>Jwt__Authority</c> is set to; discovery is below it.</summary>
    public string Authority { get; }

    /// <summary>What <c>Jwt__JwksUri</c> is set to.</summary>
    public string JwksUri => $"http://127.0.0.1:{Port}/tenant/keys";

    /// <summary>The discovery document's <c>issuer</c>.</summary>
    public string Issuer { get; set; }

    /// <summary>While true, every document is answered 500, as an identity provider in trouble would.</summary>
    public bool Down { get; set; }

    /// <summary>While true, every document is answered 302 to a copy of itself elsewhere on this server.</summary>
    public bool Redirects { get; set; }

    /// <summary>While set, the JWKS is padded to this many bytes (still a valid document); sent chunked if <see cref="Chunked"/>.</summary>
    public int? JwksPaddedTo { get; set; }

    /// <summary>Send documents without a Content-Length.</summary>
    public bool Chunked { get; set; }

    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    /// <summary>Fetches of the redirects' targets: a client that follows redirects makes them.</summary>
    public int RedirectTargetFetches => Volatile.Read(ref _redirectTargetFetches);

    public void Publish(params (TestKey Key, string? Kid)[] keys) => _jwks = TestKey.JwksOf(keys);

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "";
        using var response = context.Response;
        if (path.StartsWith("/elsewhere/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _redirectTargetFetches);
            path = path["/elsewhere".Length..];
        }
        else if (Redirects)
        {
            response.StatusCode = 302;
            response.RedirectLocation = $"http://127.0.0.1:{Port}/elsewhere{path}";
            return;
        }

        string? body = null;
        if (path == "/tenant/.well-known/openid-configuration")
        {
            Interlocked.Increment(ref _discoveryFetches);
            body = JsonSerializer.Serialize(new Dictionary<string, string> { ["issuer"] = Issuer, ["jwks_uri"] = JwksUri });
        }
        else if (path == "/tenant/keys")
        {
            Interlocked.Increment(ref _jwksFetches);
            body = JwksPaddedTo is { } size ? Padded(_jwks, size) : _jwks;
        }

        response.StatusCode = body is null ? 404 : Down ? 500 : 200;
        var bytes = Encoding.UTF8.GetBytes(response.StatusCode == 200 ? body! : "{}");
        response.ContentType = "application/json";
        response.SendChunked = Chunked;
        if (!Chunked)
        {
            response.ContentLength64 = bytes.Length;
        }

        response.OutputStream.Write(bytes);
    }

    /// <summary>The JWKS with an unknown member that brings it to <paramref name="size"/> bytes.</summary>
    private static string Padded(string jwks, int size)
    {
        var open = jwks[..jwks.LastIndexOf('}')] + ",\"padding\":\"";
        return open + new string('x', Math.Max(0, size - open.Length - 2)) + "\"}";
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
