using Microsoft.Extensions.Logging;

namespace LogoutFunction.Logout;

/// <summary>
/// The one entry per request (docs/design.md, "Logging"): the outcome and its reason as
/// <see cref="LogoutOutcomes"/> words them, the user once the token is accepted (and, with
/// <c>TokenState</c> <c>expired</c>, that it had expired within the grace; with <c>Scope</c>
/// <c>global</c>, that it was a global logout), and the refresh
/// token's hash prefix once one was looked up. The user id is the caller's own text, so it is
/// escaped; every other value is the app's own.
/// </summary>
internal static partial class LogoutLog
{
    public static void Outcome(ILogger logger, LogoutResult result, LogoutTrace trace, double elapsedMs)
    {
        var row = result.Outcome.Row();
        var (outcome, reason, level) = (row.LogOutcome, row.LogReason ?? result.Reason, row.LogLevel);

        // A 401 names no one: its token was not accepted (an expired one without a refresh token included).
        if (trace.UserId is null || row.Challenge != Challenge.None)
        {
            Anonymous(logger, level, outcome, reason ?? "before the token was checked", elapsedMs);
            return;
        }

        var userId = LogSafe.Escape(trace.UserId);
        if (trace.Scope == LogoutScope.Global)
        {
            // Only a token valid now gets this far with scope=global.
            switch (trace.TokenHash, reason)
            {
                case ({ } tokenHash, _):
                    ForRefreshTokenInScope(logger, level, outcome, GlobalScope, userId, tokenHash, elapsedMs);
                    break;
                case (null, { } why):
                    ForUserWithReasonInScope(logger, level, outcome, why, GlobalScope, userId, elapsedMs);
                    break;
                case (null, null):
                    ForUserInScope(logger, level, outcome, GlobalScope, userId, elapsedMs);
                    break;
            }

            return;
        }

        switch (trace.TokenHash, reason, trace.TokenExpired)
        {
            case ({ } tokenHash, _, false):
                ForRefreshToken(logger, level, outcome, userId, tokenHash, elapsedMs);
                break;
            case ({ } tokenHash, _, true):
                ForRefreshTokenWithExpiredToken(logger, level, outcome, ExpiredTokenState, userId, tokenHash, elapsedMs);
                break;
            case (null, { } why, false):
                ForUserWithReason(logger, level, outcome, why, userId, elapsedMs);
                break;
            case (null, { } why, true):
                ForUserWithReasonAndExpiredToken(logger, level, outcome, why, ExpiredTokenState, userId, elapsedMs);
                break;
            case (null, null, false):
                ForUser(logger, level, outcome, userId, elapsedMs);
                break;
            case (null, null, true):
                ForUserWithExpiredToken(logger, level, outcome, ExpiredTokenState, userId, elapsedMs);
                break;
        }
    }

    /// <summary>The <c>TokenState</c> of an entry whose user was named by an expired token (within the grace).</summary>
    public const string ExpiredTokenState = "expired";

    /// <summary>The <c>Scope</c> of a global logout's entry; a local one's has none, as before scopes existed.</summary>
    public const string GlobalScope = "global";

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}) in {ElapsedMs:F1} ms")]
    private static partial void Anonymous(ILogger logger, LogLevel level, string outcome, string reason, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}) for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUserWithReason(ILogger logger, LogLevel level, string outcome, string reason, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUser(ILogger logger, LogLevel level, string outcome, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} for user {UserId}, refresh token {TokenHash}, in {ElapsedMs:F1} ms")]
    private static partial void ForRefreshToken(ILogger logger, LogLevel level, string outcome, string userId, string tokenHash, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}, {TokenState} token) for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUserWithReasonAndExpiredToken(ILogger logger, LogLevel level, string outcome, string reason, string tokenState, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({TokenState} token) for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUserWithExpiredToken(ILogger logger, LogLevel level, string outcome, string tokenState, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({TokenState} token) for user {UserId}, refresh token {TokenHash}, in {ElapsedMs:F1} ms")]
    private static partial void ForRefreshTokenWithExpiredToken(ILogger logger, LogLevel level, string outcome, string tokenState, string userId, string tokenHash, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({Scope}) for user {UserId}, refresh token {TokenHash}, in {ElapsedMs:F1} ms")]
    private static partial void ForRefreshTokenInScope(ILogger logger, LogLevel level, string outcome, string scope, string userId, string tokenHash, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}, {Scope}) for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUserWithReasonInScope(ILogger logger, LogLevel level, string outcome, string reason, string scope, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({Scope}) for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUserInScope(ILogger logger, LogLevel level, string outcome, string scope, string userId, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Logout failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception);
}
