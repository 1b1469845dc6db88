using DevTokens;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Tests.Support;

/// <summary>Access tokens for tests, minted as DevTokens and the benchmarks mint them (<see cref="AccessTokenMinter"/>), and the forgeries no minter makes.</summary>
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
        var now = DateTime.UtcNow;
        return AccessTokenMinter.Mint(key.PrivateKey, new AccessTokenClaims
        {
            UserId = user,
            UserIdClaim = userIdClaim,
            IssuedAt = issuedAt ?? now,
            NotBefore = notBefore ?? now.AddSeconds(-5),
            Expires = withExpiry ? expires ?? now.AddHours(1) : null,
            Issuer = issuer,
            Audience = audience,
            KeyId = kid,
            Algorithm = algorithm ?? key.Algorithm,
            ExtraClaims = extraClaims?.AsReadOnly(),
            ExtraHeaders = extraHeaders?.AsReadOnly(),
        });
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
