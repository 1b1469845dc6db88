using Microsoft.Extensions.Logging;

namespace LogoutFunction.Logout;

/// <summary>
/// The one entry per request of DESIGN section 5, worded by what is known: the user only
/// once the token is valid, the token hash only when a refresh token was looked up.
/// </summary>
internal static partial class LogoutLog
{
    public static void Outcome(ILogger logger, LogoutResult result, string? userId, string? tokenHash, double elapsedMs)
    {
        var level = result.Outcome == LogoutOutcome.StoreUnavailable ? LogLevel.Warning : LogLevel.Information;
        if (userId is null)
        {
            Refused(logger, level, result.Outcome, result.Reason ?? "no bearer token", elapsedMs);
        }
        else if (tokenHash is null)
        {
            ForUser(logger, level, result.Outcome, userId, elapsedMs);
        }
        else
        {
            // A store failure's cause is logged by the store itself, with its status.
            ForRefreshToken(logger, level, result.Outcome, userId, tokenHash, elapsedMs);
        }
    }

    [LoggerMessage(Message = "Logout {Outcome} ({Reason}) in {ElapsedMs:F1} ms")]
    private static partial void Refused(ILogger logger, LogLevel level, LogoutOutcome outcome, string reason, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} for user {UserId} in {ElapsedMs:F1} ms")]
    private static partial void ForUser(ILogger logger, LogLevel level, LogoutOutcome outcome, string userId, double elapsedMs);

    [LoggerMessage(Message = "Logout {Outcome} for user {UserId}, refresh token {TokenHash}, in {ElapsedMs:F1} ms")]
    private static partial void ForRefreshToken(ILogger logger, LogLevel level, LogoutOutcome outcome, string userId, string tokenHash, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Logout failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception);
}
