using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Tests.Support;

/// <summary>Mints access tokens for tests with the same library the app validates with.</summary>
public static class TestTokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="kid">The header kid; by default the key's thumbprint, <c>""</c> for no kid header at all.</param>
    public static string Create(
        TestKey key,
        string user = "alice",
        string? kid = null,
        string? algorithm = null,
        DateTime? expires = null,
        DateTime? notBefore = null,
        bool withExpiry = true,
        string? issuer = null,
        string? audience = null,
        string userIdClaim = "sub",
        IDictionary<string, object>? extraClaims = null,
        DateTime? issuedAt = null,
        IDictionary<string, object>? extraHeaders = null)
    {
        // A fresh key object per token: the kid travels on the key, and tests run in parallel.
        AsymmetricSecurityKey signingKey = key.PrivateKey switch
        {
            RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa),
            ECDsaSecurityKey ec => new ECDsaSecurityKey(ec.ECDsa),
            _ => throw new NotSupportedException(),
        };
        signingKey.KeyId = kid is "" ? null : kid ?? key.Thumbprint;
        var claims = new Dictionary<string, object>(extraClaims ?? new Dictionary<string, object>());
        if (user.Length > 0)
        {
            claims[userIdClaim] = user;
        }

        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = issuedAt ?? now,
            NotBefore = notBefore ?? now.AddSeconds(-5),
            Expires = withExpiry ? expires ?? now.AddHours(1) : null,
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = new SigningCredentials(signingKey, algorithm ?? key.Algorithm),
            AdditionalHeaderClaims = extraHeaders,
        };
        return Handler.CreateToken(descriptor);
    }

    /// <summary>
    /// A genuine one-hour token that expired <paramref name="ago"/> (beyond the clock skew when
    /// that is over 30 seconds), issued and valid from an hour before that.
    /// </summary>
    public static string Expired(
        TestKey key,
        TimeSpan ago,
        string user = "alice",
        string? kid = null,
        IDictionary<string, object>? extraHeaders = null)
    {
        var expires = DateTime.UtcNow - ago;
        return Create(key, user: user, kid: kid, expires: expires, notBefore: expires.AddHours(-1), issuedAt: expires.AddHours(-1), extraHeaders: extraHeaders);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with a valid-looking payload.</summary>
    public static string CreateUnsigned(string user = "alice", DateTime? expires = null) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", user)]),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
        });

    /// <summary>The same token with one character of its signature changed: a forgery of a genuine token.</summary>
    public static string WithAlteredSignature(string token)
    {
        var lastDot = token.LastIndexOf('.');
        var altered = token[lastDot + 1] == 'A' ? 'B' : 'A';
        return token[..(lastDot + 1)] + altered + token[(lastDot + 2)..];
    }

    /// <summary>
    /// The algorithm-confusion forgery: HS256 keyed with the public key's PEM text, which a
    /// naive verifier would accept as an HMAC secret.
    /// </summary>
    public static string SignedWithPublicKeyAsHmacSecret(TestKey key, string user = "alice")
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key.PublicPem)) { KeyId = key.Thumbprint };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = user },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(secret, SecurityAlgorithms.HmacSha256),
        });
    }
}
