using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// The identity the store is reached with when <c>RefreshTokenStorage__tableServiceUri</c> is
/// set: the user-assigned managed identity named by <c>RefreshTokenStorage__clientId</c> (what
/// infra/ deploys), or else the app's system-assigned one. Never <c>DefaultAzureCredential</c>,
/// which the Azure SDK advises against in production: it tries credentials in turn, so what it
/// ends up using depends on the machine. None with a connection string.
/// Its first access token is fetched while the worker starts, so that the first logout after a
/// cold start does not spend its 5 s budget on it (the credential caches and renews it); not
/// awaited, since a slow identity endpoint must not keep the worker from starting.
/// </summary>
public sealed partial class StoreIdentity(TokenCredential? credential, ILogger<StoreIdentity> logger) : IHostedService
{
    /// <summary>The scope of a Table Storage access token.</summary>
    public static readonly TokenRequestContext StorageScope = new(["https://storage.azure.com/.default"]);

    private static readonly TimeSpan WarmUpBudget = TimeSpan.FromSeconds(30);

    public TokenCredential? Credential => credential;

    public static StoreIdentity From(IConfigurationSection connection, ILogger<StoreIdentity> logger) =>
        new(!string.IsNullOrWhiteSpace(connection.Value) ? null : ManagedIdentity(connection["clientId"]), logger);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (credential is not null)
        {
            _ = FetchFirstTokenAsync(credential);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task FetchFirstTokenAsync(TokenCredential identity)
    {
        using var timeout = new CancellationTokenSource(WarmUpBudget);
        try
        {
            await identity.GetTokenAsync(StorageScope, timeout.Token).ConfigureAwait(false);
            LogFetched(logger);
        }
        catch (Exception e)
        {
            // The first logout asks again and, if it fails too, answers 503 (row 8).
            LogFailed(logger, e.GetType().Name);
        }
    }

    // Apart, so that an app with a connection string never loads the identity libraries.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ManagedIdentityCredential ManagedIdentity(string? clientId) =>
        new(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));

    [LoggerMessage(Level = LogLevel.Information, Message = "Store access token fetched at start-up")]
    private static partial void LogFetched(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store access token could not be fetched at start-up ({Failure}); the first logout tries again")]
    private static partial void LogFailed(ILogger logger, string failure);
}
