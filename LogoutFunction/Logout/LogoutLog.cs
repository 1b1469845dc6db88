using Microsoft.Extensions.Logging;

namespace LogoutFunction.Logout;

/// <summary>
/// The one entry per request of DESIGN section 5: the outcome (<c>Unauthorized</c> and
/// <c>BadRequest</c> with their reason), the user once the token is valid, and the refresh
/// token's hash prefix once one was looked up. The user id is the caller's own text, so it is
/// escaped; every other value is the app's own.
/// </summary>
internal static partial class LogoutLog
{
    public static void Outcome(ILogger logger, LogoutResult result, LogoutTrace trace, double elapsedMs)
    {
        var (outcome, reason, level) = result.Outcome switch
        {
            LogoutOutcome.TokenMissing or LogoutOutcome.TokenInvalid or LogoutOutcome.TokenExpired => ("Unauthorized", result.Reason, LogLevel.Information),
            LogoutOutcome.LengthRequired or LogoutOutcome.UnsupportedMediaType or LogoutOutcome.BodyTooLarge or LogoutOutcome.BodyNotJsonObject or LogoutOutcome.RefreshTokenInvalid
                => ("BadRequest", result.Outcome.ToString(), LogLevel.Information),
            LogoutOutcome.StoreUnavailable => ("StoreUnavailable", null, LogLevel.Warning),
            // A 401 would tell the client its token is bad; the operator has an issuer to fix.
            LogoutOutcome.KeysUnavailable => ("KeysUnavailable", null, LogLevel.Error),
            LogoutOutcome.Failed => ("Failed", null, LogLevel.Error),
            _ => (result.Outcome.ToString(), null, LogLevel.Information),
        };

        if (trace.UserId is null)
        {
            Anonymous(logger, level, outcome, reason ?? "before the token was checked", elapsedMs);
            return;
        }

        var userId = LogSafe.Escape(trace.UserId);
        if (trace.TokenHash is not null)
        {
            ForRefreshToken(logger, level, outcome, userId, trace.TokenHash, elapsedMs);
        }
        else if (reason is not null)
        {
            ForUserWithReason(logger, level, outcome, reason, userId, elapsedMs);
        }
        else
        {
            ForUser(logger, level, outcome, userId, elapsedMs);
        }
    }

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}) in {ElapsedMs:F1} ms")]
    private static partial void Anonymous(ILogger logger, LogLevel level, string outcome, string reason, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}) for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUserWithReason(ILogger logger, LogLevel level, string outcome, string reason, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUser(ILogger logger, LogLevel level, string outcome, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} for user {UserId}, refresh token {TokenHash}, in {ElapsedMs:F1} ms")]
    private static partial void ForRefreshToken(ILogger logger, LogLevel level, string outcome, string userId, string tokenHash, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Logout failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception);
}
