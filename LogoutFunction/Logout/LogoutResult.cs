namespace LogoutFunction.Logout;

/// <param name="Outcome">What happened.</param>
/// <param name="Reason">Why the token was refused: logged, and for an invalid or expired token sent in <c>WWW-Authenticate</c>.</param>
public readonly record struct LogoutResult(LogoutOutcome Outcome, string? Reason = null);
