using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>A token <see cref="StrictJwsReader"/> refuses, and why.</summary>
internal sealed class StrictJwsException(TokenRefusal refusal, Exception? innerException = null)
    : SecurityTokenMalformedException(TokenVerdict.Phrase(refusal), innerException)
{
    public static StrictJwsException Malformed => new(TokenRefusal.Malformed);

    public TokenRefusal Refusal { get; } = refusal;
}
