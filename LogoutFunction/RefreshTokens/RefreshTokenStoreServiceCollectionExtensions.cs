using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LogoutFunction.RefreshTokens;

public static class RefreshTokenStoreServiceCollectionExtensions
{
    /// <summary>
    /// The refresh-token table, reached the way Functions bindings name identity-based
    /// connections: <c>RefreshTokenStorage</c> as a connection string, or
    /// <c>RefreshTokenStorage__tableServiceUri</c> with managed identity.
    /// </summary>
    public static IServiceCollection AddRefreshTokenStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RefreshTokenStorageOptions>()
            .Configure(o => o.TableName = configuration["RefreshTokenTable"] is { Length: > 0 } table ? table : o.TableName)
            .Validate(o => IsValidTableName(o.TableName), "RefreshTokenTable must be 3-63 letters or digits, starting with a letter.")
            .Validate(_ => HasConnection(configuration), $"{RefreshTokenStorageOptions.ConnectionName} is not set: give a connection string, or {RefreshTokenStorageOptions.ConnectionName}__tableServiceUri for managed identity.")
            .ValidateOnStart();

        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((TableClientOptions options, IServiceProvider _) => CreateServiceClient(configuration, options));
            clients.ConfigureDefaults(options =>
            {
                // Fail fast: a logout that cannot reach the store answers 503 and the client
                // retries, rather than holding the request for the SDK's default minutes.
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
            });
        });

        services.AddSingleton(provider => provider.GetRequiredService<TableServiceClient>()
            .GetTableClient(provider.GetRequiredService<IOptions<RefreshTokenStorageOptions>>().Value.TableName));
        services.AddSingleton<RefreshTokenStore>();
        return services;
    }

    private static TableServiceClient CreateServiceClient(IConfiguration configuration, TableClientOptions options)
    {
        var connection = configuration.GetSection(RefreshTokenStorageOptions.ConnectionName);
        if (!string.IsNullOrWhiteSpace(connection.Value))
        {
            return new TableServiceClient(connection.Value, options);
        }

        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = connection["clientId"],
        });
        return new TableServiceClient(new Uri(connection["tableServiceUri"]!), credential, options);
    }

    private static bool HasConnection(IConfiguration configuration)
    {
        var connection = configuration.GetSection(RefreshTokenStorageOptions.ConnectionName);
        return !string.IsNullOrWhiteSpace(connection.Value)
            || Uri.TryCreate(connection["tableServiceUri"], UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
    }

    private static bool IsValidTableName(string name) =>
        name.Length is >= 3 and <= 63 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);
}
