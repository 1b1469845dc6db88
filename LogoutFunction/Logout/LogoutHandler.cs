using System.Diagnostics;
using System.Net.Http.Headers;
using LogoutFunction.Auth;
using LogoutFunction.RefreshTokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogoutFunction.Logout;

/// <summary>
/// The logout itself: the checks of the contract table in their order, then, for a global
/// logout, the caller's revocation marker, then the revocation (docs/design.md, "The request
/// path"), and the one log entry per request.
/// </summary>
public sealed class LogoutHandler(
    BearerTokenValidator tokens, RefreshTokenStore store, RevocationMarkerStore markers, IOptions<LogoutOptions> options, ILogger<LogoutHandler> logger)
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
        var expired = trace.TokenExpired = caller.Status == TokenStatus.ExpiredWithinGrace;
        if (LogoutScopes.From(request.Scope) is not { } scope)
        {
            return new LogoutResult(LogoutOutcome.ScopeInvalid);
        }

        trace.Scope = scope;
        if (scope == LogoutScope.Global)
        {
            // Ending every session takes a token that is valid now, not one kept for its own logout.
            if (expired)
            {
                return new LogoutResult(LogoutOutcome.TokenExpired, caller.Reason);
            }

            if (!options.Value.AllowGlobal)
            {
                return new LogoutResult(LogoutOutcome.GlobalNotEnabled);
            }
        }

        var (refreshToken, bodyRefusal) = ReadBody(request);
        if (bodyRefusal is { } refusal)
        {
            return new LogoutResult(refusal);
        }

        if (refreshToken is null && expired)
        {
            // An expired token is accepted only to revoke a refresh token: with none, it stays the 401.
            return new LogoutResult(LogoutOutcome.TokenExpired, caller.Reason);
        }

        // The marker first: a retry after a failure here or below does both again, and both are idempotent.
        if (scope == LogoutScope.Global
            && await markers.MoveToNowAsync(userId, cancellationToken).ConfigureAwait(false) == MarkerOutcome.StoreUnavailable)
        {
            return new LogoutResult(LogoutOutcome.StoreUnavailable);
        }

        if (refreshToken is null)
        {
            return new LogoutResult(LogoutOutcome.NoRefreshToken);
        }

        var key = RefreshTokenKey.For(refreshToken, userId);
        trace.TokenHash = key.CorrelationId;
        return new LogoutResult(await store.RevokeAsync(key, cancellationToken).ConfigureAwait(false) switch
        {
            RevocationOutcome.Revoked => LogoutOutcome.Revoked,
            RevocationOutcome.RevokedOrAbsent => LogoutOutcome.RevokedOrAbsent,
            RevocationOutcome.NothingToRevoke => LogoutOutcome.NothingToRevoke,
            _ => LogoutOutcome.StoreUnavailable,
        });
    }

    /// <summary>The body rows, in their order: the refresh token the body carries (null: none), or the outcome that refuses the body.</summary>
    private static RefreshTokenBody ReadBody(LogoutRequest request)
    {
        if (request.BodyLost)
        {
            // Answering 200 here would leave the refresh token the caller meant to revoke alive.
            return new(null, LogoutOutcome.LengthRequired);
        }

        if (request.Body.IsEmpty)
        {
            return new(null, null);
        }

        if (!IsJson(request.ContentType))
        {
            return new(null, LogoutOutcome.UnsupportedMediaType);
        }

        if (request.Body.Length > LogoutRequest.MaxBodyBytes)
        {
            return new(null, LogoutOutcome.BodyTooLarge);
        }

        var body = RefreshTokenBody.Parse(request.Body);
        return string.IsNullOrEmpty(body.RefreshToken) ? body with { RefreshToken = null } : body;
    }

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
