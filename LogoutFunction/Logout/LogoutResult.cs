namespace LogoutFunction.Logout;

/// <param name="Outcome">What happened; its row in <see cref="LogoutOutcomes"/> says what that answers.</param>
/// <param name="Reason">Why the token was refused: logged, and sent in <c>WWW-Authenticate</c>.</param>
public readonly record struct LogoutResult(LogoutOutcome Outcome, string? Reason = null);
