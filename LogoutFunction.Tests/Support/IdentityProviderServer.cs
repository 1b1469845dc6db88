using System.Net;
using System.Text;
using System.Text.Json;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// An identity provider's public side on a free 127.0.0.1 port: an OpenID Connect discovery
/// document and the JWKS it points to, with keys that can be rotated, an outage that can be
/// switched on, and a count of every fetch.
/// </summary>
public sealed class IdentityProviderServer : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private volatile string _jwks;
    private int _discoveryFetches;
    private int _jwksFetches;

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

    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);

    public int JwksFetches => Volatile.Read(ref _jwksFetches);

    public void Publish(params (TestKey Key, string? Kid)[] keys) => _jwks = TestKey.JwksOf(keys);

    private void Answer(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath;
        string? body = null;
        if (path == "/tenant/.well-known/openid-configuration")
        {
            Interlocked.Increment(ref _discoveryFetches);
            body = JsonSerializer.Serialize(new Dictionary<string, string> { ["issuer"] = Issuer, ["jwks_uri"] = JwksUri });
        }
        else if (path == "/tenant/keys")
        {
            Interlocked.Increment(ref _jwksFetches);
            body = _jwks;
        }

        using var response = context.Response;
        response.StatusCode = body is null ? 404 : Down ? 500 : 200;
        var bytes = Encoding.UTF8.GetBytes(response.StatusCode == 200 ? body! : "{}");
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
