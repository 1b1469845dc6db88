using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Checks an access token against the signing keys (configured, or the issuer's) and the token
/// rules of docs/contract.md, and names the caller. IdentityModel's <see cref="JsonWebTokenHandler"/>
/// decides; <see cref="StrictJwsReader"/> reads the token for it where the library is lenient.
/// </summary>
public sealed class BearerTokenValidator
{
    public const int MaxTokenLength = 8 * 1024;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly SigningKeys _keys;
    private readonly TokenValidationParameters _rules;
    private readonly TokenValidationParameters _lifetimeRules;
    private readonly IReadOnlyList<string> _configuredIssuers;
    private readonly string _userIdClaim;
    private readonly TimeSpan _expiredTokenGrace;

    public BearerTokenValidator(IOptions<JwtOptions> options, SigningKeys keys)
    {
        var settings = options.Value;
        _keys = keys;
        _userIdClaim = settings.UserIdClaim;
        _configuredIssuers = settings.IssuerList;
        _expiredTokenGrace = TimeSpan.FromDays(settings.ExpiredTokenGraceDays);
        var clockSkew = TimeSpan.FromSeconds(settings.ClockSkewSeconds);
        _lifetimeRules = new TokenValidationParameters { RequireExpirationTime = true, ValidateLifetime = true, ClockSkew = clockSkew };
        _rules = new TokenValidationParameters
        {
            TokenReader = StrictJwsReader.Read,
            TryAllIssuerSigningKeys = false,
            ValidAlgorithms = settings.AlgorithmList,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = CheckLifetimeButNotExpiry,
            ClockSkew = clockSkew,
            ValidateAudience = settings.AudienceList.Count > 0,
            ValidAudiences = settings.AudienceList,
            // RFC 7519 section 4.1.3: audiences are case-sensitive strings, compared exactly.
            IgnoreTrailingSlashWhenValidatingAudience = false,
        };
    }

    public async Task<TokenVerdict> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (token.Length > MaxTokenLength)
        {
            return TokenVerdict.Refused(TokenRefusal.TooLarge);
        }

        var keys = await _keys.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var result = await ValidateAgainstAsync(token, keys).ConfigureAwait(false);
        // Read once, for refusals only: it sharpens the reason and tells whether a kid is named.
        var header = result.IsValid ? null : HeaderOf(token);
        var namesKeyId = header is not null && NamesKeyId(header);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && namesKeyId && _keys.FromIssuer && !keys.IssuerKeysMissing)
        {
            // The issuer may have rotated: this request waits for its keys (rate-limited, shared).
            // Not while none is at hand: each request retries then anyway, within the manager's
            // back-off, and the first refresh stays allowed for the first rotation.
            keys = await _keys.RefreshAsync(cancellationToken).ConfigureAwait(false);
            result = await ValidateAgainstAsync(token, keys).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            var refusal = RefusalFor(result.Exception, header);
            // Only a verdict that the issuer's keys could change waits for them: a configured key
            // wins its kid, so a bad signature under a named kid is final.
            var couldBeTheIssuers = refusal == TokenRefusal.UnknownKey || (refusal == TokenRefusal.InvalidSignature && header is not null && !namesKeyId);
            return keys.IssuerKeysMissing && couldBeTheIssuers ? TokenVerdict.KeysUnavailable() : TokenVerdict.Refused(refusal);
        }

        if (keys.IssuerUnknown && _configuredIssuers.Count == 0)
        {
            // Signed by a configured key, but the issuer to hold it to comes from discovery.
            return TokenVerdict.KeysUnavailable();
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (IsIssuedInTheFuture(jwt))
        {
            return TokenVerdict.Refused(TokenRefusal.IssuedInTheFuture);
        }

        return UserIdOf(jwt) is { } userId ? ExpiryVerdict(jwt, userId) : TokenVerdict.Refused(TokenRefusal.NoUserId);
    }

    private Task<TokenValidationResult> ValidateAgainstAsync(string token, SigningKeys.Snapshot keys) =>
        _handler.ValidateTokenAsync(token, keys.Parameters(RulesFor));

    /// <summary>The rules with one key set's keys and issuers; built once per key set.</summary>
    private TokenValidationParameters RulesFor(SigningKeys.Snapshot keys)
    {
        var issuers = _configuredIssuers.Count > 0 ? _configuredIssuers : keys.DiscoveredIssuer is { } discovered ? [discovered] : [];
        var parameters = _rules.Clone();
        // A token naming a kid (even an empty one) is checked against that key alone, so an
        // unknown kid fails; only a token without one may be signed by any key.
        parameters.IssuerSigningKeyResolver = (_, token, kid, _) => !NamesKeyId(token) ? keys.All : keys.WithId(kid ?? "");
        parameters.ValidateIssuer = issuers.Count > 0;
        parameters.ValidIssuers = issuers;
        return parameters;
    }

    /// <summary>
    /// The library's lifetime rules (an <c>exp</c>, <c>nbf</c> honoured, <c>nbf</c> before <c>exp</c>)
    /// but for expiry: the library would check it before issuer and audience, while the contract
    /// puts every other refusal first and lets a token expired within the grace still revoke.
    /// So expiry waits for <see cref="ExpiryVerdict"/>, and an expired token is validated once.
    /// </summary>
    private bool CheckLifetimeButNotExpiry(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        try
        {
            Validators.ValidateLifetime(notBefore, expires, token, _lifetimeRules);
        }
        catch (SecurityTokenExpiredException)
        {
            // Decided in ExpiryVerdict, once everything else has passed.
        }

        return true;
    }

    /// <summary>Expired beyond the clock skew (as the library judges <c>exp</c>), and if so, within the grace or not.</summary>
    private TokenVerdict ExpiryVerdict(JsonWebToken token, string userId)
    {
        var oldestValid = DateTime.UtcNow - _rules.ClockSkew;
        if (token.ValidTo >= oldestValid)
        {
            return TokenVerdict.Valid(userId);
        }

        return _expiredTokenGrace > TimeSpan.Zero && token.ValidTo >= oldestValid - _expiredTokenGrace
            ? TokenVerdict.ExpiredWithinGrace(userId)
            : TokenVerdict.Refused(TokenRefusal.Expired);
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
        && token.IssuedAt > DateTime.UtcNow + _rules.ClockSkew;

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
    private TokenRefusal RefusalFor(Exception? exception, JsonWebToken? token) => exception switch
    {
        StrictJwsException strict => strict.Refusal,
        SecurityTokenInvalidSignatureException when token is not null && !_rules.ValidAlgorithms.Contains(token.Alg, StringComparer.Ordinal)
            => TokenRefusal.AlgorithmNotAllowed,
        SecurityTokenSignatureKeyNotFoundException when token is not null && !NamesKeyId(token) => TokenRefusal.InvalidSignature,
        SecurityTokenNoExpirationException => TokenRefusal.NoExpiry,
        SecurityTokenNotYetValidException => TokenRefusal.NotValidYet,
        SecurityTokenInvalidLifetimeException => TokenRefusal.LifetimeInvalid,
        SecurityTokenInvalidIssuerException => TokenRefusal.IssuerNotAccepted,
        SecurityTokenInvalidAudienceException => TokenRefusal.AudienceNotAccepted,
        SecurityTokenInvalidAlgorithmException => TokenRefusal.AlgorithmNotAllowed,
        SecurityTokenSignatureKeyNotFoundException => TokenRefusal.UnknownKey,
        SecurityTokenInvalidSignatureException => TokenRefusal.InvalidSignature,
        SecurityTokenMalformedException or ArgumentException => TokenRefusal.Malformed,
        _ => TokenRefusal.Invalid,
    };
}
