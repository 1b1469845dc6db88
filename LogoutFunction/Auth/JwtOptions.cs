namespace LogoutFunction.Auth;

/// <summary>The <c>Jwt__*</c> settings, as configured; <see cref="JwtOptionsValidator"/> checks them at start-up.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>One or more PEM public keys, or a JWKS document.</summary>
    public string? PublicKeys { get; set; }

    /// <summary>The issuer's URL: keys and issuer come from its OpenID Connect discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>A JWKS URL, for issuers without a discovery document.</summary>
    public string? JwksUri { get; set; }

    /// <summary>How often keys from <see cref="Authority"/> or <see cref="JwksUri"/> are fetched again.</summary>
    public int KeysRefreshMinutes { get; set; } = 60;

    /// <summary>At most one extra fetch per this many seconds for tokens that name an unknown key id.</summary>
    public int UnknownKeyRefreshSeconds { get; set; } = 60;

    /// <summary>How long the issuer's keys stay in use after the last fetch that gave usable ones.</summary>
    public int IssuerKeysMaxAgeHours { get; set; } = 24;

    /// <summary>Comma-separated allow-list of signing algorithms.</summary>
    public string Algorithms { get; set; } = "RS256";

    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// How many days after its expiry a genuine token may still revoke its own user's refresh
    /// token; 0 switches this off. The default is the refresh-token lifetime of
    /// gesdinet/jwt-refresh-token-bundle: beyond it there is usually nothing left to revoke.
    /// </summary>
    public int ExpiredTokenGraceDays { get; set; } = 30;

    /// <summary>Comma-separated; validated only when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>Comma-separated; validated only when set.</summary>
    public string? Audience { get; set; }

    public string UserIdClaim { get; set; } = "sub";

    public IReadOnlyList<string> AlgorithmList => SplitList(Algorithms);

    public IReadOnlyList<string> IssuerList => SplitList(Issuer);

    public IReadOnlyList<string> AudienceList => SplitList(Audience);

    /// <summary>Where keys are fetched from, if anywhere: the discovery document, or the JWKS URL.</summary>
    public string? KeysAddress => !string.IsNullOrWhiteSpace(Authority)
        ? Authority.TrimEnd('/') + "/.well-known/openid-configuration"
        : string.IsNullOrWhiteSpace(JwksUri) ? null : JwksUri;

    private static string[] SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
