using System.Diagnostics;
using System.Net.Http.Headers;
using LogoutFunction.Auth;
using LogoutFunction.RefreshTokens;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Logout;

/// <summary>
/// The logout itself: the checks of the contract table in their order, then the revocation.
/// Writes the one log entry per request that DESIGN section 5 asks for.
/// </summary>
public sealed class LogoutHandler(BearerTokenValidator tokens, RefreshTokenStore store, ILogger<LogoutHandler> logger)
{
    public async Task<LogoutResult> HandleAsync(LogoutRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string? userId = null;
        string? tokenHash = null;
        LogoutResult result;
        try
        {
            (result, userId, tokenHash) = await LogoutAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogoutLog.Unexpected(logger, e);
            result = new LogoutResult(LogoutOutcome.Failed);
        }

        LogoutLog.Outcome(logger, result, userId, tokenHash, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    private async Task<(LogoutResult Result, string? UserId, string? TokenHash)> LogoutAsync(LogoutRequest request, CancellationToken cancellationToken)
    {
        if (BearerToken(request.Authorization) is not { } accessToken)
        {
            return (new LogoutResult(LogoutOutcome.TokenMissing), null, null);
        }

        var caller = await tokens.ValidateAsync(accessToken).ConfigureAwait(false);
        if (!caller.IsValid)
        {
            var outcome = caller.IsExpired ? LogoutOutcome.TokenExpired : LogoutOutcome.TokenInvalid;
            return (new LogoutResult(outcome, caller.FailureReason), null, null);
        }

        var userId = caller.UserId!;
        if (request.Body.IsEmpty)
        {
            return (new LogoutResult(LogoutOutcome.NoRefreshToken), userId, null);
        }

        if (!IsJson(request.ContentType))
        {
            return (new LogoutResult(LogoutOutcome.UnsupportedMediaType), userId, null);
        }

        if (request.Body.Length > LogoutRequest.MaxBodyBytes)
        {
            return (new LogoutResult(LogoutOutcome.BodyTooLarge), userId, null);
        }

        var (refreshToken, refusal) = RefreshTokenBody.Parse(request.Body);
        if (refusal is { } bodyRefusal)
        {
            return (new LogoutResult(bodyRefusal), userId, null);
        }

        if (string.IsNullOrEmpty(refreshToken))
        {
            return (new LogoutResult(LogoutOutcome.NoRefreshToken), userId, null);
        }

        var key = RefreshTokenKey.For(refreshToken, userId);
        try
        {
            var revocation = await store.RevokeAsync(key, cancellationToken).ConfigureAwait(false);
            var outcome = revocation == RevocationOutcome.Revoked ? LogoutOutcome.Revoked : LogoutOutcome.NothingToRevoke;
            return (new LogoutResult(outcome), userId, key.CorrelationId);
        }
        catch (RefreshTokenStoreUnavailableException e)
        {
            return (new LogoutResult(LogoutOutcome.StoreUnavailable, e.Message), userId, key.CorrelationId);
        }
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header (scheme case-insensitive, RFC 6750), or null.</summary>
    private static string? BearerToken(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization.AsSpan(Scheme.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
}
