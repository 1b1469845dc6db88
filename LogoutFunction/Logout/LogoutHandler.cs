using System.Diagnostics;
using System.Net.Http.Headers;
using LogoutFunction.Auth;
using LogoutFunction.RefreshTokens;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Logout;

/// <summary>
/// The logout itself: the checks of the contract table in their order, then the revocation
/// (docs/design.md, "The request path"), and the one log entry per request.
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
            return new LogoutResult(LogoutOutcome.TokenMissing);
        }

        var caller = await tokens.ValidateAsync(accessToken, cancellationToken).ConfigureAwait(false);
        switch (caller.Status)
        {
            case TokenStatus.KeysUnavailable:
                return new LogoutResult(LogoutOutcome.KeysUnavailable);
            case TokenStatus.Refused:
                return new LogoutResult(caller.Refusal == TokenRefusal.Expired ? LogoutOutcome.TokenExpired : LogoutOutcome.TokenInvalid, caller.Reason);
        }

        // Valid, or expired within the grace: either names its user as well (docs/contract.md,
        // "Why an expired token still logs out"), and the body rows apply to both alike.
        var userId = trace.UserId = caller.UserId!;
        trace.TokenExpired = caller.Status == TokenStatus.ExpiredWithinGrace;
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

        var body = RefreshTokenBody.Parse(request.Body);
        if (body.Refusal is { } refusal)
        {
            return new LogoutResult(refusal);
        }

        if (string.IsNullOrEmpty(body.RefreshToken))
        {
            return NoRefreshToken(caller);
        }

        var key = RefreshTokenKey.For(body.RefreshToken, userId);
        trace.TokenHash = key.CorrelationId;
        return new LogoutResult(await store.RevokeAsync(key, cancellationToken).ConfigureAwait(false) switch
        {
            RevocationOutcome.Revoked => LogoutOutcome.Revoked,
            RevocationOutcome.RevokedOrAbsent => LogoutOutcome.RevokedOrAbsent,
            RevocationOutcome.NothingToRevoke => LogoutOutcome.NothingToRevoke,
            _ => LogoutOutcome.StoreUnavailable,
        });
    }

    /// <summary>An expired token is accepted only to revoke a refresh token: with none, it stays the 401.</summary>
    private static LogoutResult NoRefreshToken(TokenVerdict caller) =>
        caller.Status == TokenStatus.ExpiredWithinGrace
            ? new LogoutResult(LogoutOutcome.TokenExpired, caller.Reason)
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
