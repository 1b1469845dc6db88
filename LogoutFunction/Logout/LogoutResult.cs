namespace LogoutFunction.Logout;

/// <param name="Outcome">What happened.</param>
/// <param name="Reason">For a refused token, the short reason that goes into <c>WWW-Authenticate</c>.</param>
public readonly record struct LogoutResult(LogoutOutcome Outcome, string? Reason = null);
