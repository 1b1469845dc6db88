using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogoutFunction.RefreshTokens;

public static class RefreshTokenStoreServiceCollectionExtensions
{
    /// <summary>
    /// The refresh-token table and the revocation-marker table, in one account reached the way Functions bindings name identity-based
    /// connections: <c>RefreshTokenStorage</c> as a connection string, or
    /// <c>RefreshTokenStorage__tableServiceUri</c> with managed identity.
    /// </summary>
    public static IServiceCollection AddRefreshTokenStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RefreshTokenStorageOptions>()
            .Configure(o =>
            {
                o.TableName = configuration[RefreshTokenStorageOptions.TableSetting] is { Length: > 0 } table ? table : o.TableName;
                o.RevocationTableName = configuration[RefreshTokenStorageOptions.RevocationTableSetting] is { Length: > 0 } markers ? markers : o.RevocationTableName;
            })
            .Validate(o => RefreshTokenStorageOptions.IsValidTableName(o.TableName), "RefreshTokenTable must be 3-63 letters or digits, starting with a letter.")
            .Validate(o => RefreshTokenStorageOptions.IsValidTableName(o.RevocationTableName), "RevocationTable must be 3-63 letters or digits, starting with a letter.")
            .Validate(o => !string.Equals(o.TableName, o.RevocationTableName, StringComparison.OrdinalIgnoreCase), "RevocationTable must not be the refresh-token table (RefreshTokenTable): the function's right on that one is delete only.")
            .Validate(_ => HasConnection(configuration), $"Neither {RefreshTokenStorageOptions.ConnectionName} (a connection string) nor {RefreshTokenStorageOptions.ConnectionName}__tableServiceUri (an https URI, for managed identity) is set.")
            .Validate(_ => IsReadableConnectionString(configuration), $"{RefreshTokenStorageOptions.ConnectionName} is not a valid storage connection string.")
            .ValidateOnStart();

        services.AddSingleton(provider => StoreIdentity.From(configuration.GetSection(RefreshTokenStorageOptions.ConnectionName), provider.GetRequiredService<ILogger<StoreIdentity>>()));
        services.AddHostedService(provider => provider.GetRequiredService<StoreIdentity>());
        services.AddSingleton(provider => CreateServiceClient(configuration, provider.GetRequiredService<StoreIdentity>(), ClientOptions()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new RefreshTokenStore(
            TableOf(provider, o => o.TableName), provider.GetRequiredService<ILogger<RefreshTokenStore>>()));
        services.AddSingleton(provider => new RevocationMarkerStore(
            TableOf(provider, o => o.RevocationTableName), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RevocationMarkerStore>>()));
        return services;
    }

    private static TableClient TableOf(IServiceProvider provider, Func<RefreshTokenStorageOptions, string> name) =>
        provider.GetRequiredService<TableServiceClient>().GetTableClient(name(provider.GetRequiredService<IOptions<RefreshTokenStorageOptions>>().Value));

    private static TableClientOptions ClientOptions()
    {
        var options = new TableClientOptions();

        // Fail fast: a logout that cannot reach the store answers 503 and the client retries,
        // rather than holding the request for the SDK's default minutes.
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);

        // RefreshTokenStore logs every failure itself, on one line; the SDK's own request and
        // response entries would add several per logout, multi-line header dumps among them.
        options.Diagnostics.IsLoggingEnabled = false;
        options.AddPolicy(new EntityDeleteClassifierPolicy(), HttpPipelinePosition.PerCall);
        options.AddPolicy(new DeleteAttempts.Policy(), HttpPipelinePosition.PerRetry);
        return options;
    }

    private static TableServiceClient CreateServiceClient(IConfiguration configuration, StoreIdentity identity, TableClientOptions options)
    {
        var connection = configuration.GetSection(RefreshTokenStorageOptions.ConnectionName);
        return identity.Credential is { } credential
            ? new TableServiceClient(new Uri(connection["tableServiceUri"]!), credential, options)
            : new TableServiceClient(connection.Value, options);
    }

    private static bool HasConnection(IConfiguration configuration)
    {
        var connection = configuration.GetSection(RefreshTokenStorageOptions.ConnectionName);
        return !string.IsNullOrWhiteSpace(connection.Value)
            || Uri.TryCreate(connection["tableServiceUri"], UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
    }

    /// <summary>The client parses a connection string when built, lazily, on the first logout; checking it here fails the start-up instead.</summary>
    private static bool IsReadableConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration[RefreshTokenStorageOptions.ConnectionName];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return true;
        }

        try
        {
            _ = new TableServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
