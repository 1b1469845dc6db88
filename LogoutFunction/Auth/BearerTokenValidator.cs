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
            TokenReader = StrictJwsReader.Read,
            // A token naming a kid (even an empty one) is checked against that key alone, so an
            // unknown kid fails; only a token without one may be signed by any configured key.
            IssuerSigningKeyResolver = (_, token, kid, _) =>
                !NamesKeyId(token) ? keys : keysById.TryGetValue(kid ?? "", out var key) ? [key] : [],
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
            // RFC 7519 section 4.1.3: audiences are case-sensitive strings, compared exactly.
            IgnoreTrailingSlashWhenValidatingAudience = false,
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

        var jwt = (JsonWebToken)result.SecurityToken;
        if (IsIssuedInTheFuture(jwt))
        {
            return BearerTokenValidation.Invalid("The token was issued in the future");
        }

        if (UserIdOf(jwt) is not { } userId)
        {
            return BearerTokenValidation.Invalid("The token has no user id");
        }

        return expired ? BearerTokenValidation.Expired() : BearerTokenValidation.Valid(userId);
    }

    private static bool NamesKeyId(SecurityToken token) =>
        token is JsonWebToken jwt && jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Kid, out _);

    /// <summary>
    /// RFC 7519 does not require it, but a token issued after now (beyond the clock skew) comes
    /// from an issuer whose clock or signer is wrong, and no honest flow produces one. Same
    /// clock and skew as the library's checks of <c>exp</c> and <c>nbf</c>.
    /// </summary>
    private bool IsIssuedInTheFuture(JsonWebToken token) =>
        token.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out _)
        && token.IssuedAt > DateTime.UtcNow + _parameters.ClockSkew;

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
        StrictJwsException strict => strict.Reason,
        SecurityTokenInvalidSignatureException when token is not null && !_parameters.ValidAlgorithms.Contains(token.Alg, StringComparer.Ordinal)
            => "The signing algorithm is not allowed",
        SecurityTokenSignatureKeyNotFoundException when token is not null && !NamesKeyId(token)
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
