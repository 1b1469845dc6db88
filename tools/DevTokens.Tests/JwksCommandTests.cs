using System.Security.Cryptography;
using LogoutFunction.Auth;
using Microsoft.IdentityModel.Tokens;

namespace DevTokens.Tests;

/// <summary>
/// <c>DevTokens jwks</c>, which turns PEM keys into the JWKS document API Management needs
/// (infra/README.md): the built tool, run as an operator would, gives keys the app reads back
/// with the same ids and the same key material.
/// </summary>
public sealed class JwksCommandTests
{
    [Fact]
    public async Task Turns_PEM_keys_into_a_JWKS_the_app_reads_with_the_same_ids_and_keys()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicPem = rsa.ExportSubjectPublicKeyInfoPem() + "\n" + ec.ExportSubjectPublicKeyInfoPem() + "\n";
        var pem = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(pem, publicPem);

            var (exitCode, output, error) = await DevTokensCommand.RunAsync(null, "jwks", "--pem", pem);

            Assert.True(exitCode == 0, error);
            var fromJwks = PublicKeyReader.ReadConfigured(output);
            Assert.Equal([PublicKeyReader.KeyIdOf(new RsaSecurityKey(rsa)), PublicKeyReader.KeyIdOf(new ECDsaSecurityKey(ec))], fromJwks.Select(key => key.KeyId));
            Assert.Equal(PublicKeyReader.ReadConfigured(publicPem).Select(Thumbprint), fromJwks.Select(Thumbprint));
            Assert.Contains("\"use\":\"sig\"", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public async Task A_file_without_a_public_key_is_an_error_naming_what_is_wrong()
    {
        var pem = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(pem, "not a key");

            var (exitCode, output, error) = await DevTokensCommand.RunAsync(null, "jwks", "--pem", pem);

            Assert.Equal(1, exitCode);
            Assert.Equal("", output);
            Assert.StartsWith("error: Jwt__PublicKeys holds no PEM public key", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    private static string Thumbprint(SecurityKey key) => PublicKeyReader.KeyIdOf((AsymmetricSecurityKey)key);
}
