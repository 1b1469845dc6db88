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

        if (string.IsNullOrWhiteSpace(options.UserIdClaim))
        {
            failures.Add("Jwt__UserIdClaim must name a claim, for example 'sub'.");
        }

        try
        {
            options.LoadSigningKeys();
        }
        catch (InvalidSigningKeyException e)
        {
            failures.Add(e.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
