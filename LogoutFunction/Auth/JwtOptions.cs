using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>The <c>Jwt__*</c> settings, as configured; <see cref="JwtOptionsValidator"/> checks them at start-up.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

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

    private IReadOnlyList<SecurityKey>? _signingKeys;

    /// <summary>
    /// <see cref="PublicKeys"/> parsed, once per options instance: the start-up validation
    /// parses them, and the validator reuses that result on every request.
    /// </summary>
    /// <exception cref="InvalidSigningKeyException">The setting is missing or holds no usable public keys.</exception>
    public IReadOnlyList<SecurityKey> LoadSigningKeys() => _signingKeys ??= SigningKeyLoader.Load(PublicKeys);

    public IReadOnlyList<string> IssuerList => SplitList(Issuer);

    public IReadOnlyList<string> AudienceList => SplitList(Audience);

    private static string[] SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
