using System.Security.Cryptography;
using DevTokens;
using Microsoft.IdentityModel.Tokens;

namespace SideBySide;

/// <summary>An RS256 key pair made for the run, and an access token it signed: what the app is configured to trust.</summary>
internal sealed class BenchTokens : IDisposable
{
    public const string User = "bench-user";

    private readonly RSA _rsa = RSA.Create(2048);

    public BenchTokens()
    {
        var issued = DateTime.UtcNow;
        AccessToken = AccessTokenMinter.Mint(new RsaSecurityKey(_rsa), new AccessTokenClaims { UserId = User, IssuedAt = issued, Expires = issued.AddHours(12) });
    }

    public string PublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem();

    public string AccessToken { get; }

    public void Dispose() => _rsa.Dispose();
}
