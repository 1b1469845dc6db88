using FunctionsHostEmulator;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>A worker with a broken key setting must refuse to start, and say why.</summary>
[Trait("Category", "EndToEnd")]
public sealed class WorkerStartupTests
{
    private static Dictionary<string, string?> SettingsWithKeys(string? publicKeys) => new()
    {
        ["Jwt__PublicKeys"] = publicKeys,
        ["RefreshTokenStorage"] = "UseDevelopmentStorage=true",
    };

    /// <summary>Starts the built worker under the emulated host with <paramref name="settings"/>; it must refuse to start.</summary>
    private static Task<WorkerStartupException> StartupErrorWith(Dictionary<string, string?> settings) =>
        Assert.ThrowsAsync<WorkerStartupException>(() => FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = LogoutApp.AppDirectory,
            HttpPort = 0,
            Settings = settings,
            Output = _ => { },
        }));

    [Theory]
    [InlineData(null, "Jwt__PublicKeys is not set")]
    [InlineData("not a key", "Jwt__PublicKeys holds no PEM public key")]
    [InlineData("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}", "Jwt__PublicKeys: JWKS key 1 has key type 'oct'")]
    public async Task A_broken_key_setting_stops_the_worker_with_a_message_naming_it(string? publicKeys, string message)
    {
        var error = await StartupErrorWith(SettingsWithKeys(publicKeys));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ExitCode);
    }

    [Theory]
    [InlineData("366", "Jwt__ExpiredTokenGraceDays must be between 0 (off) and 365.")]
    [InlineData("-1", "Jwt__ExpiredTokenGraceDays must be between 0 (off) and 365.")]
    [InlineData("thirty", "Jwt:ExpiredTokenGraceDays")]
    public async Task An_invalid_expired_token_grace_stops_the_worker_with_a_message_naming_it(string value, string message)
    {
        var settings = SettingsWithKeys(TestKey.Rsa().PublicPem);
        settings["Jwt__ExpiredTokenGraceDays"] = value;

        var error = await StartupErrorWith(settings);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ExitCode);
    }

    [Theory]
    [InlineData("Logout__AllowGlobal", "yes", "Logout:AllowGlobal")]
    [InlineData("RevocationTable", "no-dashes", "RevocationTable must be 3-63 letters or digits, starting with a letter.")]
    [InlineData("RevocationTable", "refreshtokens", "RevocationTable must not be the refresh-token table (RefreshTokenTable)")]
    public async Task An_invalid_global_logout_setting_stops_the_worker_with_a_message_naming_it(string setting, string value, string message)
    {
        var settings = SettingsWithKeys(TestKey.Rsa().PublicPem);
        settings[setting] = value;

        var error = await StartupErrorWith(settings);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ExitCode);
    }

    [Fact]
    public async Task Keys_from_an_issuer_without_an_audience_stop_the_worker_with_a_message_naming_it()
    {
        var settings = SettingsWithKeys(null);
        settings["Jwt__Authority"] = "https://login.example.com/tenant/v2.0";

        var error = await StartupErrorWith(settings);

        Assert.Contains("Jwt__Audience is required with Jwt__Authority or Jwt__JwksUri", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ExitCode);
    }
}
