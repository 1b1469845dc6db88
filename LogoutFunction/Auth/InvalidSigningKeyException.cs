namespace LogoutFunction.Auth;

/// <summary><c>Jwt__PublicKeys</c> is missing or holds something other than usable public keys.</summary>
public sealed class InvalidSigningKeyException(string message) : Exception(message);
