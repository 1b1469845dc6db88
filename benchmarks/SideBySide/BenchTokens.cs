using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SideBySide;

/// <summary>An RS256 key pair made for the run, and an access token it signed: what the app is configured to trust.</summary>
internal sealed class BenchTokens : IDisposable
{
    public const string User = "bench-user";

    private readonly RSA _rsa = RSA.Create(2048);

    public BenchTokens()
    {
        // The key id the app gives a PEM key: its RFC 7638 thumbprint, as an issuer would name it.
        var key = new RsaSecurityKey(_rsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false))).ComputeJwkThumbprint());
        AccessToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = User },
            Expires = DateTime.UtcNow.AddHours(12),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public string PublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem();

    public string AccessToken { get; }

    public void Dispose() => _rsa.Dispose();
}
