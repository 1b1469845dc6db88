using LogoutFunction.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DevTokens;

/// <summary>
/// What an access token says. Times are absolute; a null <see cref="Expires"/> leaves <c>exp</c>
/// out, an empty <see cref="UserId"/> leaves the user claim out.
/// </summary>
public sealed record AccessTokenClaims
{
    public required string UserId { get; init; }

    public string UserIdClaim { get; init; } = "sub";

    public required DateTime IssuedAt { get; init; }

    /// <summary>Default: <see cref="IssuedAt"/>.</summary>
    public DateTime? NotBefore { get; init; }

    public DateTime? Expires { get; init; }

    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    /// <summary>The header's <c>kid</c>: null for the key's RFC 7638 thumbprint (the id the app gives a PEM key), "" for none.</summary>
    public string? KeyId { get; init; }

    /// <summary>Default: RS256 for an RSA key, ES256 for an EC one.</summary>
    public string? Algorithm { get; init; }

    public IReadOnlyDictionary<string, object>? ExtraClaims { get; init; }

    public IReadOnlyDictionary<string, object>? ExtraHeaders { get; init; }
}

/// <summary>
/// Signs access tokens through IdentityModel, the library the app validates with (no hand-made
/// JWTs): the one way DevTokens, the tests and the benchmarks make them.
/// </summary>
public static class AccessTokenMinter
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Mint(AsymmetricSecurityKey signingKey, AccessTokenClaims token)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(token);

        // A key object of its own: the kid travels on the key, and tokens are minted in parallel.
        AsymmetricSecurityKey key = signingKey switch
        {
            RsaSecurityKey rsa => rsa.Rsa is { } algorithm ? new RsaSecurityKey(algorithm) : new RsaSecurityKey(rsa.Parameters),
            ECDsaSecurityKey ec => new ECDsaSecurityKey(ec.ECDsa),
            _ => throw new NotSupportedException("RSA and EC keys only."),
        };
        key.KeyId = token.KeyId is "" ? null : token.KeyId ?? PublicKeyReader.KeyIdOf(key);
        var claims = new Dictionary<string, object>(token.ExtraClaims ?? new Dictionary<string, object>());
        if (token.UserId.Length > 0)
        {
            claims[token.UserIdClaim] = token.UserId;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = token.IssuedAt,
            NotBefore = token.NotBefore ?? token.IssuedAt,
            Expires = token.Expires,
            Issuer = string.IsNullOrEmpty(token.Issuer) ? null : token.Issuer,
            Audience = string.IsNullOrEmpty(token.Audience) ? null : token.Audience,
            SigningCredentials = new SigningCredentials(key, token.Algorithm ?? (key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256)),
            AdditionalHeaderClaims = token.ExtraHeaders is null ? null : new Dictionary<string, object>(token.ExtraHeaders),
        });
    }
}
