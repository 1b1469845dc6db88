using LogoutFunction.Telemetry;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.ApplicationInsights.WindowsServer.TelemetryChannel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LogoutFunction.Tests.Telemetry;

public class TelemetryRegistrationTests
{
    // The documented shape of a connection string; nothing is sent while the test runs.
    private const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    [Fact]
    public async Task Without_a_connection_string_nothing_of_Application_Insights_is_registered()
    {
        await using var provider = Services(connectionString: null);

        Assert.Null(provider.GetService<TelemetryClient>());
        Assert.DoesNotContain(provider.GetServices<ILoggerProvider>(), IsApplicationInsights);
    }

    [Fact]
    public async Task With_a_connection_string_telemetry_and_its_logger_are_registered_and_pass_information_entries()
    {
        await using var provider = Services(ConnectionString);

        Assert.NotNull(provider.GetService<TelemetryClient>());
        Assert.Contains(provider.GetServices<ILoggerProvider>(), IsApplicationInsights);

        // The SDK's own rule would keep only warnings, and so drop the per-request entry.
        var rules = provider.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;
        Assert.DoesNotContain(rules, rule => rule.ProviderName?.EndsWith("ApplicationInsightsLoggerProvider", StringComparison.Ordinal) == true);
    }

    // Async disposal: the worker's telemetry module only implements IAsyncDisposable.
    private static ServiceProvider Services(string? connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServiceCollectionExtensions.ConnectionStringSetting] = connectionString })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddLogoutTelemetry(configuration);
        return services.BuildServiceProvider();
    }

    private static bool IsApplicationInsights(ILoggerProvider provider) =>
        provider.GetType().Name == "ApplicationInsightsLoggerProvider";

    [Fact]
    public async Task With_a_connection_string_log_entries_are_never_sampled_and_the_rest_still_is()
    {
        await using var provider = Services(ConnectionString);

        var processors = provider.GetRequiredService<TelemetryConfiguration>().DefaultTelemetrySink.TelemetryProcessors;
        var sampling = processors.OfType<AdaptiveSamplingTelemetryProcessor>().ToList();

        Assert.NotEmpty(sampling);
        Assert.All(sampling, processor => Assert.Contains("Trace", processor.ExcludedTypes ?? "", StringComparison.Ordinal));
        Assert.All(sampling, processor => Assert.Contains("Exception", processor.ExcludedTypes ?? "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=5c3a54d0-7a6b-4c1e-9d43-2f0e8b1a6c77", true)]
    [InlineData("authorization=aad", true)]
    [InlineData("", false)]
    [InlineData("Authorization=Key", false)]
    [InlineData(null, false)]
    public void Ingestion_authenticates_with_Entra_ID_when_the_authentication_string_says_so(string? authenticationString, bool entra)
    {
        Assert.Equal(entra, TelemetryServiceCollectionExtensions.EntraIdentity(authenticationString) is not null);
    }
}
