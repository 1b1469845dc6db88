using Microsoft.Extensions.Hosting;

namespace LogoutFunction.Auth;

/// <summary>
/// Fetches the issuer's keys while the worker starts, so the first logout does not wait for
/// them. Not awaited: an issuer that is down must not stop the worker from starting.
/// </summary>
internal sealed class SigningKeysWarmUp(SigningKeys keys) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.FromIssuer)
        {
            _ = keys.CurrentAsync(CancellationToken.None).AsTask();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
