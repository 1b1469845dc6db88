using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// Gets the store's first access token while the worker starts, so that the first logout after
/// a cold start does not spend its 5 s budget on it (the credential caches and renews it).
/// Not awaited: an identity endpoint that is slow must not stop the worker from starting.
/// </summary>
internal sealed partial class StoreTokenWarmUp(StoreIdentity identity, ILogger<StoreTokenWarmUp> logger) : IHostedService
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (identity.Credential is not null)
        {
            _ = FetchAsync();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task FetchAsync()
    {
        using var timeout = new CancellationTokenSource(Budget);
        try
        {
            await identity.Credential!.GetTokenAsync(StoreIdentity.StorageScope, timeout.Token).ConfigureAwait(false);
            LogFetched(logger);
        }
        catch (Exception e)
        {
            // The first logout asks again and, if it fails too, answers 503 (row 8).
            LogFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store access token fetched at start-up")]
    private static partial void LogFetched(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store access token could not be fetched at start-up ({Failure}); the first logout tries again")]
    private static partial void LogFailed(ILogger logger, string failure);
}
