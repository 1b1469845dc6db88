namespace LogoutFunction.Logout;

/// <summary>What a logout ends (docs/contract.md, "Log out everywhere").</summary>
public enum LogoutScope
{
    /// <summary>The one session whose refresh token the body carries: the default.</summary>
    Local,

    /// <summary>Every session of the caller: their revocation marker moves to now, then the body's refresh token is revoked.</summary>
    Global,
}

public static class LogoutScopes
{
    /// <summary>The query parameter, as GoTrue names it.</summary>
    public const string ParameterName = "scope";

    /// <summary>The scope the parameter's values ask for: none means local; anything but exactly one <c>local</c> or <c>global</c> is null.</summary>
    public static LogoutScope? From(IReadOnlyList<string> values) => values switch
    {
        [] or ["local"] => LogoutScope.Local,
        ["global"] => LogoutScope.Global,
        _ => null,
    };
}
