using Microsoft.Extensions.Options;

namespace LogoutFunction.Auth;

/// <summary>
/// Refuses to start on a setting that would weaken validation: every failure names the
/// setting, so the worker's start-up error tells the operator what to fix.
/// </summary>
internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    // Asymmetric algorithms only: a symmetric or "none" algorithm next to public keys is how
    // algorithm-confusion attacks forge tokens.
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    /// <summary>A year: longer than any refresh-token lifetime worth honouring after its access token died.</summary>
    public const int MaxExpiredTokenGraceDays = 365;

    /// <summary>A month: an issuer unreachable that long has a problem no cached key should paper over.</summary>
    public const int MaxIssuerKeysMaxAgeHours = 720;

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();

        var algorithms = options.AlgorithmList;
        if (algorithms.Count == 0)
        {
            failures.Add("Jwt__Algorithms is empty: list at least one of " + string.Join(", ", SupportedAlgorithms) + ".");
        }

        foreach (var algorithm in algorithms.Where(a => !SupportedAlgorithms.Contains(a)))
        {
            failures.Add($"Jwt__Algorithms contains '{algorithm}', which is not allowed: use only {string.Join(", ", SupportedAlgorithms)}.");
        }

        if (options.ClockSkewSeconds is < 0 or > 300)
        {
            failures.Add("Jwt__ClockSkewSeconds must be between 0 and 300.");
        }

        if (options.ExpiredTokenGraceDays is < 0 or > MaxExpiredTokenGraceDays)
        {
            failures.Add($"Jwt__ExpiredTokenGraceDays must be between 0 (off) and {MaxExpiredTokenGraceDays}.");
        }

        if (string.IsNullOrWhiteSpace(options.UserIdClaim))
        {
            failures.Add("Jwt__UserIdClaim must name a claim, for example 'sub'.");
        }

        var authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
        var jwksUri = string.IsNullOrWhiteSpace(options.JwksUri) ? null : options.JwksUri;
        if (authority is not null && jwksUri is not null)
        {
            failures.Add("Jwt__Authority and Jwt__JwksUri are both set: set one (with Jwt__Authority the JWKS URL comes from its discovery document).");
        }

        CheckAddress("Jwt__Authority", authority, failures);
        CheckAddress("Jwt__JwksUri", jwksUri, failures);
        if (options.KeysRefreshMinutes is < 5 or > 1440)
        {
            failures.Add("Jwt__KeysRefreshMinutes must be between 5 and 1440.");
        }

        if (options.UnknownKeyRefreshSeconds is < 1 or > 3600)
        {
            failures.Add("Jwt__UnknownKeyRefreshSeconds must be between 1 and 3600.");
        }

        if (options.IssuerKeysMaxAgeHours is < 1 or > MaxIssuerKeysMaxAgeHours || options.IssuerKeysMaxAgeHours * 60L <= options.KeysRefreshMinutes)
        {
            failures.Add($"Jwt__IssuerKeysMaxAgeHours must be between 1 and {MaxIssuerKeysMaxAgeHours}, and longer than Jwt__KeysRefreshMinutes.");
        }

        if ((authority is not null || jwksUri is not null) && options.AudienceList.Count == 0)
        {
            // RFC 8725 section 3.9: an issuer's keys sign tokens for every audience it serves.
            failures.Add("Jwt__Audience is required with Jwt__Authority or Jwt__JwksUri: an issuer's keys (Entra ID's are shared by every tenant and application) sign tokens meant for other APIs too.");
        }

        if (string.IsNullOrWhiteSpace(options.PublicKeys) && authority is null && jwksUri is null)
        {
            failures.Add("Jwt__PublicKeys is not set: configure one or more PEM public keys or a JWKS document, or Jwt__Authority or Jwt__JwksUri.");
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(options.PublicKeys))
            {
                PublicKeyReader.ReadConfigured(options.PublicKeys);
            }
        }
        catch (InvalidSigningKeyException e)
        {
            failures.Add(e.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Keys are trusted only over https; plain http only on this machine (tests, local runs).</summary>
    private static void CheckAddress(string setting, string? value, List<string> failures)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"{setting} is not an absolute https URL.");
        }
        else if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            failures.Add($"{setting} must use https (plain http only for a loopback address).");
        }
    }
}
