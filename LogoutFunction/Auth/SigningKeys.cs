using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LogoutFunction.Auth;

/// <summary>
/// Where token-signing keys come from: <c>Jwt__PublicKeys</c>, fixed for the life of the process,
/// and, with <c>Jwt__Authority</c> or <c>Jwt__JwksUri</c>, the issuer's published keys as well
/// (<see cref="IssuerKeySource"/>).
/// </summary>
public sealed class SigningKeys : IDisposable
{
    /// <summary>
    /// By default IdentityModel's configuration manager refreshes in the background and hands out
    /// the old keys meanwhile, so the very request that names a new key would fail. Blocking
    /// refreshes make that request wait for the fetch, and back off after a failure instead of
    /// fetching on every request. IdentityModel reads its switches once, early, so it is set in
    /// the runtime configuration (LogoutFunction.csproj), and checked here.
    /// </summary>
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    private readonly SigningKeySet _withoutIssuerKeys;
    private readonly IssuerKeySource? _issuer;

    public SigningKeys(IOptionsMonitor<JwtOptions> options, TimeProvider time, ILogger<SigningKeys> logger)
    {
        var settings = options.CurrentValue;
        var configured = settings.LoadSigningKeys();
        _withoutIssuerKeys = new SigningKeySet(
            configured,
            discoveredIssuer: null,
            issuerKeysMissing: settings.KeysAddress is not null,
            issuerUnknown: !string.IsNullOrWhiteSpace(settings.Authority));
        if (settings.KeysAddress is { } address)
        {
            if (!AppContext.TryGetSwitch(BlockingRefreshSwitch, out var blocking) || !blocking)
            {
                throw new InvalidOperationException($"{BlockingRefreshSwitch} must be on for keys from the issuer (see LogoutFunction.csproj).");
            }

            _issuer = new IssuerKeySource(settings, address, configured, _withoutIssuerKeys, time, logger);
        }
    }

    /// <summary>Whether keys come from the issuer too, so an unknown key id is worth a refresh.</summary>
    public bool FromIssuer => _issuer is not null;

    /// <summary>The keys now; with an issuer, fetched first if they are due (and then the caller waits).</summary>
    public ValueTask<SigningKeySet> CurrentAsync(CancellationToken cancellationToken) =>
        _issuer is null ? ValueTask.FromResult(_withoutIssuerKeys) : new ValueTask<SigningKeySet>(_issuer.CurrentAsync(cancellationToken));

    /// <summary>The keys after asking the issuer again, unless it was asked within the rate limit.</summary>
    public Task<SigningKeySet> RefreshAsync(CancellationToken cancellationToken) =>
        _issuer is null ? Task.FromResult(_withoutIssuerKeys) : _issuer.RefreshAsync(cancellationToken);

    public void Dispose() => _issuer?.Dispose();
}
