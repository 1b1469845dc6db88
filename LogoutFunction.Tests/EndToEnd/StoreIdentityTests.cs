namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// A worker configured as infra/ deploys it (<c>RefreshTokenStorage__tableServiceUri</c> and a
/// user-assigned identity's <c>clientId</c>) asks the platform's identity endpoint for a storage
/// token while it starts, before any logout, for that identity and no other.
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class StoreIdentityTests(LogoutApp app)
{
    [SkippableFact]
    public async Task The_first_storage_token_is_fetched_at_start_up_for_the_user_assigned_identity()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "points a second worker at a loopback identity endpoint; runs under the emulator only");
        await using var endpoint = new ManagedIdentityEndpoint();
        const string ClientId = "5c3a54d0-7a6b-4c1e-9d43-2f0e8b1a6c77";
        var settings = new Dictionary<string, string?>(app.Settings)
        {
            ["RefreshTokenStorage"] = null,
            // Never reached in this test: only the token is.
            ["RefreshTokenStorage__tableServiceUri"] = "https://127.0.0.1:9/",
            ["RefreshTokenStorage__clientId"] = ClientId,
        };
        foreach (var (name, value) in endpoint.Settings)
        {
            settings[name] = value;
        }

        // The worker's own start-up log does not reach the host's output (the host forwards only an
        // invocation's logs), so the identity endpoint's log of requests is what shows the fetch.
        await using var host = await app.StartHostAsync(settings, _ => { });
        for (var attempt = 0; attempt < 100 && endpoint.Requests.Count == 0; attempt++)
        {
            await Task.Delay(100);
        }

        var request = Assert.Single(endpoint.Requests);
        Assert.True(request.HasHeader);
        var query = Uri.UnescapeDataString(request.Query);
        Assert.Contains("resource=https://storage.azure.com", query, StringComparison.Ordinal);
        Assert.Contains($"client_id={ClientId}", query, StringComparison.Ordinal);
    }
}
