using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LogoutFunction.Tests.Contract;

/// <summary>
/// The configuration the adversarial tokens are tried against: two trusted keys (RSA and EC,
/// in a JWKS with key ids), RS256 and ES256 allowed, issuer and audience checked. Tokens claim
/// to be <see cref="Victim"/>, whose refresh token the tests seed and expect to survive.
/// </summary>
public sealed class AdversarialSetup
{
    public const string Victim = "victim";
    public const string Issuer = "https://issuer.example";
    public const string Audience = "sig-api";
    public const string RsaKid = "rsa-1";
    public const string EcKid = "ec-1";

    public TestKey TrustedRsa { get; } = TestKey.Rsa();

    public TestKey TrustedEc { get; } = TestKey.EcP256();

    public TestKey AttackerRsa { get; } = TestKey.Rsa();

    public TestKey AttackerEc { get; } = TestKey.EcP256();

    public RSA Rsa => ((Microsoft.IdentityModel.Tokens.RsaSecurityKey)TrustedRsa.PrivateKey).Rsa;

    public ECDsa Ec => ((Microsoft.IdentityModel.Tokens.ECDsaSecurityKey)TrustedEc.PrivateKey).ECDsa;

    public RSA EvilRsa => ((Microsoft.IdentityModel.Tokens.RsaSecurityKey)AttackerRsa.PrivateKey).Rsa;

    public ECDsa EvilEc => ((Microsoft.IdentityModel.Tokens.ECDsaSecurityKey)AttackerEc.PrivateKey).ECDsa;

    /// <summary>A loopback address that counts requests: a token pointing there must never make the app fetch it.</summary>
    public Uri KeyUrlThatMustNotBeFetched { get; set; } = new("http://127.0.0.1:9/jwks");

    /// <summary>The app settings (environment names) of this configuration.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Jwt__PublicKeys"] = TestKey.JwksOf((TrustedRsa, RsaKid), (TrustedEc, EcKid)),
        ["Jwt__Algorithms"] = "RS256,ES256",
        ["Jwt__Issuer"] = Issuer,
        ["Jwt__Audience"] = Audience,
    };

    public static JsonObject Header(string alg = "RS256", string? kid = RsaKid)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    /// <summary>Claims that are valid now: the victim, the configured issuer and audience, an hour to live.</summary>
    public static JsonObject Payload()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = Victim,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 3600,
        };
    }

    /// <summary>A genuine RS256 token for the victim, changed by <paramref name="change"/>.</summary>
    public string Rs256(Action<JsonObject, JsonObject>? change = null)
    {
        var (header, payload) = (Header(), Payload());
        change?.Invoke(header, payload);
        return RawJws.Create(header, payload, RawJws.RsaSha256(Rsa));
    }

    /// <summary>A genuine ES256 token for the victim, changed by <paramref name="change"/>.</summary>
    public string Es256(Action<JsonObject, JsonObject>? change = null)
    {
        var (header, payload) = (Header("ES256", EcKid), Payload());
        change?.Invoke(header, payload);
        return RawJws.Create(header, payload, RawJws.EcdsaSha256(Ec));
    }

    /// <summary>A genuine RS256 token whose payload is the given JSON text, byte for byte.</summary>
    public string Rs256WithPayloadText(string payloadJson) => RawJws.Create(Header().ToJsonString(), payloadJson, RawJws.RsaSha256(Rsa));

    /// <summary>A genuine RS256 token whose header is the given JSON text, byte for byte.</summary>
    public string Rs256WithHeaderText(string headerJson) => RawJws.Create(headerJson, Payload().ToJsonString(), RawJws.RsaSha256(Rsa));
}
