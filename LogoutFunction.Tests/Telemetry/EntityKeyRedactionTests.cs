using LogoutFunction.Telemetry;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LogoutFunction.Tests.Telemetry;

/// <summary>
/// With Application Insights on, the store's dependency telemetry carries no entity key: a
/// revocation against Azurite, through the app's own registrations, captured as it would be sent.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class EntityKeyRedactionTests(AzuriteServer azurite)
{
    [Theory]
    [InlineData("https://acct.table.core.windows.net/RefreshTokens(PartitionKey='ab',RowKey='cd')", "https://acct.table.core.windows.net/RefreshTokens(…)")]
    [InlineData("DELETE /RefreshTokens(PartitionKey='ab',RowKey='cd')", "DELETE /RefreshTokens(…)")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/RefreshTokens%28PartitionKey%3D%27ab%27%29", "http://127.0.0.1:10002/devstoreaccount1/RefreshTokens(…)")]
    [InlineData("DELETE acct/RefreshTokens", "DELETE acct/RefreshTokens")]
    [InlineData("TableClient.DeleteEntity", "TableClient.DeleteEntity")]
    public void Cuts_an_entity_address_at_its_keys(string text, string redacted)
    {
        Assert.Equal(redacted, EntityKeyRedaction.Redact(text));
    }

    [Fact]
    public async Task A_revocation_and_a_marker_report_their_dependencies_without_the_entities_keys()
    {
        var table = await azurite.CreateTableAsync();
        var markers = await azurite.CreateTableAsync();
        await table.SeedAsync("telemetry-refresh", "alice");
        var key = RefreshTokenKey.For("telemetry-refresh", "alice");
        var channel = new CapturingChannel();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The documented shape of a connection string; the channel below keeps what would be sent.
            [TelemetryServiceCollectionExtensions.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
            ["RefreshTokenStorage"] = azurite.ConnectionString,
            ["RefreshTokenTable"] = table.Name,
            ["RevocationTable"] = markers.Name,
        });
        builder.Services.AddSingleton<ITelemetryChannel>(channel);
        var clock = new ManualClock();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddLogoutTelemetry(builder.Configuration).AddRefreshTokenStore(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Equal(RevocationOutcome.Revoked, await host.Services.GetRequiredService<RefreshTokenStore>().RevokeAsync(key, CancellationToken.None));
        // Twice: an insert, then a read and an update at the marker's own address.
        var marker = host.Services.GetRequiredService<RevocationMarkerStore>();
        Assert.Equal(MarkerOutcome.Moved, await marker.MoveToNowAsync("alice", CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(MarkerOutcome.Moved, await marker.MoveToNowAsync("alice", CancellationToken.None));
        host.Services.GetRequiredService<TelemetryClient>().Flush();
        await host.StopAsync();

        var dependencies = channel.Items.OfType<DependencyTelemetry>().ToList();
        Assert.Contains(dependencies, d => d.Data?.Contains($"/{table.Name}(…)", StringComparison.Ordinal) == true);
        Assert.Contains(dependencies, d => d.Data?.Contains($"/{markers.Name}(…)", StringComparison.Ordinal) == true);
        var everything = string.Join('\n', dependencies.SelectMany(d => new[] { d.Data, d.Name, d.Target }.Concat(d.Properties.Values)));
        Assert.DoesNotContain(key.RowKey, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key.PartitionKey, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PartitionKey", everything, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class CapturingChannel : ITelemetryChannel
    {
        public ConcurrentQueue<ITelemetry> Items { get; } = new();

        public bool? DeveloperMode { get; set; }

        public string? EndpointAddress { get; set; }

        public void Send(ITelemetry item) => Items.Enqueue(item);

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
