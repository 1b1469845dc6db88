using System.Net.Http.Headers;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// A worker with Application Insights on, its ingestion endpoint a loopback server of the tests':
/// what it would send to Azure after a revocation names the store's dependency without the
/// entity's keys (the RowKey is the SHA-256 of the user id).
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TelemetryOverHttpTests(LogoutApp app)
{
    [SkippableFact]
    public async Task The_store_dependency_the_worker_sends_carries_no_entity_key()
    {
        Skip.IfNot(LogoutApp.IsEmulated, "starts a second worker that sends telemetry to a loopback endpoint; runs under the emulator only");
        await using var ingestion = new TelemetryIngestionServer();
        var settings = new Dictionary<string, string?>(app.Settings)
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ingestion.ConnectionString,
            // Sends each item at once instead of every 30 s.
            ["APPINSIGHTS_DEVELOPER_MODE"] = "true",
        };
        await using var host = await app.StartHostAsync(settings, _ => { });
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var (refreshToken, entity) = await app.SeedAsync("judy");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
        {
            Content = new StringContent($$"""{"refresh_token":"{{refreshToken}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(app.SigningKey, user: "judy"));

        using var response = await client.SendAsync(request);

        await ContractAnswer.LoggedOut.AssertMatchesAsync(response);
        Assert.False(await app.ExistsAsync(entity));
        // Bounded at 60 s, twice the channel's 30 s send interval: despite developer mode the
        // batch came anywhere from at once to about 30 s after the request in runs here (a CI
        // run once saw nothing within the 20 s this waited before).
        var sent = "";
        for (var attempt = 0; attempt < 300 && !sent.Contains("RefreshTokens(", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(200);
            sent = ingestion.Received;
        }

        Assert.Contains("\"name\":\"AppDependencies\"", sent, StringComparison.Ordinal);
        Assert.Contains("/RefreshTokens(", sent, StringComparison.Ordinal);
        var key = RefreshTokenKey.For(refreshToken, "judy");
        Assert.DoesNotContain(key.RowKey, sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key.PartitionKey, sent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PartitionKey", sent, StringComparison.OrdinalIgnoreCase);
    }
}
