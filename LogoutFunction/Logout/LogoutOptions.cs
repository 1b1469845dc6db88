namespace LogoutFunction.Logout;

/// <summary>The <c>Logout__*</c> settings.</summary>
public sealed class LogoutOptions
{
    public const string SectionName = "Logout";

    /// <summary>
    /// Whether <c>scope=global</c> is served. Off by default: the revocation marker ends other
    /// sessions only if the issuer's refresh endpoint reads it (docs/design.md, "Log out everywhere").
    /// </summary>
    public bool AllowGlobal { get; set; }
}
