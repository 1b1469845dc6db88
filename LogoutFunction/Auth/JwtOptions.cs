using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>The <c>Jwt__*</c> settings, as configured; <see cref="JwtOptionsValidator"/> checks them at start-up.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    private IReadOnlyList<SecurityKey>? _signingKeys;

    /// <summary>One or more PEM public keys, or a JWKS document.</summary>
    public string? PublicKeys { get; set; }

    /// <summary>Comma-separated allow-list of signing algorithms.</summary>
    public string Algorithms { get; set; } = "RS256";

    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>Comma-separated; validated only when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Comma-separated; validated only when set.</summary>
    public string? Audience { get; set; }

    public string UserIdClaim { get; set; } = "sub";

    public IReadOnlyList<string> AlgorithmList => SplitList(Algorithms);

    public IReadOnlyList<string> IssuerList => SplitList(Issuer);

    public IReadOnlyList<string> AudienceList => SplitList(Audience);

    /// <summary>
    /// <see cref="PublicKeys"/> parsed, once per options instance: start-up validation parses
    /// them, and <see cref="BearerTokenValidator"/> uses that same result.
    /// </summary>
    /// <exception cref="InvalidSigningKeyException">The setting is missing or holds no usable public keys.</exception>
    public IReadOnlyList<SecurityKey> LoadSigningKeys() => _signingKeys ??= SigningKeyLoader.Load(PublicKeys);

    private static string[] SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
