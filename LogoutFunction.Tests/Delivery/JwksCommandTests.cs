using System.Diagnostics;
using System.Reflection;
using LogoutFunction.Auth;
using LogoutFunction.Tests.Support;

namespace LogoutFunction.Tests.Delivery;

/// <summary>
/// <c>DevTokens jwks</c>, which turns PEM keys into the JWKS document API Management needs
/// (infra/README.md): the built tool, run as an operator would, gives keys the app reads back
/// with the same ids and the same key material.
/// </summary>
public sealed class JwksCommandTests
{
    private static string DevTokens => RepositoryPaths.Combine(
        "tools", "DevTokens", "bin", typeof(JwksCommandTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0", "DevTokens.dll");

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(DevTokens);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Turns_PEM_keys_into_a_JWKS_the_app_reads_with_the_same_ids_and_keys()
    {
        var (rsa, ec) = (TestKey.Rsa(), TestKey.EcP256());
        var pem = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(pem, rsa.PublicPem + "\n" + ec.PublicPem + "\n");

            var (exitCode, output, error) = await RunAsync("jwks", "--pem", pem);

            Assert.True(exitCode == 0, error);
            var fromJwks = PublicKeyReader.ReadConfigured(output);
            Assert.Equal([rsa.Thumbprint, ec.Thumbprint], fromJwks.Select(key => key.KeyId));
            Assert.Equal(
                PublicKeyReader.ReadConfigured(rsa.PublicPem + "\n" + ec.PublicPem).Select(Thumbprint),
                fromJwks.Select(Thumbprint));
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

            var (exitCode, output, error) = await RunAsync("jwks", "--pem", pem);

            Assert.Equal(1, exitCode);
            Assert.Equal("", output);
            Assert.StartsWith("error: Jwt__PublicKeys holds no PEM public key", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    private static string Thumbprint(Microsoft.IdentityModel.Tokens.SecurityKey key) =>
        PublicKeyReader.KeyIdOf((Microsoft.IdentityModel.Tokens.AsymmetricSecurityKey)key);
}
