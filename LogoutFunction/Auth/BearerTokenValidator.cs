using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Checks an access token against the configured public keys and rules (DESIGN section 3)
/// and names the caller. Failure reasons are short fixed phrases, safe to send back in
/// <c>WWW-Authenticate</c>: they never echo the token or the library's messages.
/// </summary>
public sealed class BearerTokenValidator
{
    public const int MaxTokenLength = 8 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly TokenValidationParameters _parameters;
    private readonly TokenValidationParameters _parametersIgnoringLifetime;
    private readonly string _userIdClaim;

    // The monitor's instance is the one start-up validation checked, so its parsed keys are reused.
    public BearerTokenValidator(IOptionsMonitor<JwtOptions> options)
    {
        var settings = options.CurrentValue;
        var keys = settings.LoadSigningKeys();
        var keysById = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        _userIdClaim = settings.UserIdClaim;
        _parameters = new TokenValidationParameters
        {
            // A token naming a kid is checked against that key alone, so an unknown kid
            // fails; a token without one may be signed by any configured key.
            IssuerSigningKeyResolver = (_, _, kid, _) =>
                string.IsNullOrEmpty(kid) ? keys : keysById.TryGetValue(kid, out var key) ? [key] : [],
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = settings.AlgorithmList,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(settings.ClockSkewSeconds),
            ValidateIssuer = settings.IssuerList.Count > 0,
            ValidIssuers = settings.IssuerList,
            ValidateAudience = settings.AudienceList.Count > 0,
            ValidAudiences = settings.AudienceList,
        };
        _parametersIgnoringLifetime = _parameters.Clone();
        _parametersIgnoringLifetime.ValidateLifetime = false;
    }

    public async Task<BearerTokenValidation> ValidateAsync(string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return BearerTokenValidation.Invalid("The token is too large");
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        var expired = result.Exception is SecurityTokenExpiredException;
        if (expired)
        {
            // The library checks the lifetime first, but the contract puts every other
            // refusal (issuer, audience, user id) before "expired": look again without it.
            result = await _handler.ValidateTokenAsync(token, _parametersIgnoringLifetime).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return BearerTokenValidation.Invalid(ReasonFor(result.Exception, HeaderOf(token)));
        }

        if (UserIdOf((JsonWebToken)result.SecurityToken) is not { } userId)
        {
            return BearerTokenValidation.Invalid("The token has no user id");
        }

        return expired ? BearerTokenValidation.Expired() : BearerTokenValidation.Valid(userId);
    }

    /// <summary>
    /// The user-id claim when it is one non-blank JSON string. The library would render a
    /// number, a boolean, an array or an object as text, and none of those names a user.
    /// </summary>
    private string? UserIdOf(JsonWebToken token) =>
        token.TryGetPayloadValue<object>(_userIdClaim, out var value) && value is string userId && !string.IsNullOrWhiteSpace(userId)
            ? userId
            : null;

    private JsonWebToken? HeaderOf(string token)
    {
        try
        {
            return _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // The library settles the verdict; the header only sharpens the reason it reports, since
    // it folds a refused algorithm or an unmatched kid-less token into a signature failure.
    // Ordered most specific first: several of these exceptions derive from one another.
    private string ReasonFor(Exception? exception, JsonWebToken? token) => exception switch
    {
        SecurityTokenInvalidSignatureException when token is not null && !_parameters.ValidAlgorithms.Contains(token.Alg, StringComparer.Ordinal)
            => "The signing algorithm is not allowed",
        SecurityTokenSignatureKeyNotFoundException when token is not null && string.IsNullOrEmpty(token.Kid)
            => "The signature is invalid",
        SecurityTokenNoExpirationException => "The token has no expiry",
        SecurityTokenNotYetValidException => "The token is not valid yet",
        SecurityTokenInvalidLifetimeException => "The token lifetime is invalid",
        SecurityTokenInvalidIssuerException => "The issuer is not accepted",
        SecurityTokenInvalidAudienceException => "The audience is not accepted",
        SecurityTokenInvalidAlgorithmException => "The signing algorithm is not allowed",
        SecurityTokenSignatureKeyNotFoundException => "The signing key is unknown",
        SecurityTokenInvalidSignatureException => "The signature is invalid",
        SecurityTokenMalformedException or ArgumentException => "The token is malformed",
        _ => "The token is invalid",
    };
}
