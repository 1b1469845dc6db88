using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DevTokens;

/// <summary>What a dev access token says; defaults match the app's defaults (claim <c>sub</c>, 1 hour).</summary>
public sealed record AccessTokenRequest(
    string UserId,
    TimeSpan Lifetime,
    string UserIdClaim = "sub",
    string? Issuer = null,
    string? Audience = null,
    bool IncludeKeyId = true);

/// <summary>Signs RS256 access tokens with the dev key, through IdentityModel only (no hand-made JWTs).</summary>
public static class AccessTokenMinter
{
    public static string Mint(RsaSecurityKey signingKey, AccessTokenRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(request);

        // Without a KeyId the handler writes no `kid` header, which exercises the app's
        // "try every configured key" path.
        var key = request.IncludeKeyId ? signingKey : new RsaSecurityKey(signingKey.Rsa);
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(request.UserIdClaim, request.UserId)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(request.Lifetime).UtcDateTime,
            Issuer = string.IsNullOrEmpty(request.Issuer) ? null : request.Issuer,
            Audience = string.IsNullOrEmpty(request.Audience) ? null : request.Audience,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
