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
        var trace = new LogoutTrace();
        LogoutResult result;
        try
        {
            result = await LogoutAsync(request, trace, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = new LogoutResult(LogoutOutcome.Cancelled);
        }
        catch (Exception e)
        {
            LogoutLog.Unexpected(logger, e);
            result = new LogoutResult(LogoutOutcome.Failed);
        }

        LogoutLog.Outcome(logger, result, trace, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    private async Task<LogoutResult> LogoutAsync(LogoutRequest request, LogoutTrace trace, CancellationToken cancellationToken)
    {
        if (BearerToken(request.Authorization) is not { } accessToken)
        {
            return new LogoutResult(LogoutOutcome.TokenMissing, "No bearer token");
        }

        var caller = await tokens.ValidateAsync(accessToken, cancellationToken).ConfigureAwait(false);
        switch (caller.Verdict)
        {
            case TokenVerdict.KeysUnavailable:
                return new LogoutResult(LogoutOutcome.KeysUnavailable);
            case TokenVerdict.Expired:
                return new LogoutResult(LogoutOutcome.TokenExpired, caller.FailureReason);
            case TokenVerdict.Refused:
                return new LogoutResult(LogoutOutcome.TokenInvalid, caller.FailureReason);
        }

        // Valid, or expired within the grace: either names its user as well (README, "Why an
        // expired token still logs out"), and the body rows apply to both alike.
        var userId = trace.UserId = caller.UserId!;
        trace.TokenExpired = caller.Verdict == TokenVerdict.ExpiredWithinGrace;
        if (request.BodyLost)
        {
            // Answering 200 here would leave the refresh token the caller meant to revoke alive.
            return new LogoutResult(LogoutOutcome.LengthRequired);
        }

        if (request.Body.IsEmpty)
        {
            return NoRefreshToken(caller);
        }

        if (!IsJson(request.ContentType))
        {
            return new LogoutResult(LogoutOutcome.UnsupportedMediaType);
        }

        if (request.Body.Length > LogoutRequest.MaxBodyBytes)
        {
            return new LogoutResult(LogoutOutcome.BodyTooLarge);
        }

        var (refreshToken, refusal) = RefreshTokenBody.Parse(request.Body);
        if (refusal is { } bodyRefusal)
        {
            return new LogoutResult(bodyRefusal);
        }

        if (string.IsNullOrEmpty(refreshToken))
        {
            return NoRefreshToken(caller);
        }

        var key = RefreshTokenKey.For(refreshToken, userId);
        trace.TokenHash = key.CorrelationId;
        try
        {
            var revocation = await store.RevokeAsync(key, cancellationToken).ConfigureAwait(false);
            return new LogoutResult(revocation switch
            {
                RevocationOutcome.Revoked => LogoutOutcome.Revoked,
                RevocationOutcome.RevokedOrAbsent => LogoutOutcome.RevokedOrAbsent,
                _ => LogoutOutcome.NothingToRevoke,
            });
        }
        catch (RefreshTokenStoreUnavailableException)
        {
            return new LogoutResult(LogoutOutcome.StoreUnavailable);
        }
    }

    /// <summary>An expired token is accepted only to revoke a refresh token: with none, it stays the 401.</summary>
    private static LogoutResult NoRefreshToken(BearerTokenValidation caller) =>
        caller.Verdict == TokenVerdict.ExpiredWithinGrace
            ? new LogoutResult(LogoutOutcome.TokenExpired, caller.FailureReason)
            : new LogoutResult(LogoutOutcome.NoRefreshToken);

    /// <summary>
    /// The credential of an <c>Authorization: Bearer</c> header, or null when there is none.
    /// RFC 6750 section 2.1: the scheme (any case), one or more spaces, the token. Only spaces
    /// separate; anything else after them stays in the token, which the validator then refuses.
    /// </summary>
    private static string? BearerToken(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization.AsSpan(Scheme.Length).TrimStart(' ');
        return token.IsEmpty ? null : token.ToString();
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
}
