using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>A token <see cref="StrictJwsReader"/> refuses, with the reason the caller is told.</summary>
internal sealed class StrictJwsException(string reason, Exception? innerException = null)
    : SecurityTokenMalformedException(reason, innerException)
{
    public const string MalformedReason = "The token is malformed";

    public static StrictJwsException Malformed => new(MalformedReason);

    public string Reason { get; } = reason;
}
