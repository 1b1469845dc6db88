using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Where token-signing keys come from: <c>Jwt__PublicKeys</c>, fixed for the life of the process,
/// and, with <c>Jwt__Authority</c> or <c>Jwt__JwksUri</c>, the issuer's published keys through
/// IdentityModel's <see cref="ConfigurationManager{T}"/>: fetched at start-up, again every
/// <c>Jwt__KeysRefreshMinutes</c>, and at once when a token names a key id not known yet (at most
/// once per <c>Jwt__UnknownKeyRefreshSeconds</c>; the first time after start-up is allowed at
/// once). While the issuer cannot be reached, the keys fetched last stay in use.
/// </summary>
public sealed partial class SigningKeys : IDisposable
{
    /// <summary>The wait for the issuer's documents: a request may be waiting for them.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);

    private readonly IReadOnlyList<SecurityKey> _configured;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _issuer;
    private readonly HttpClient? _http;
    private readonly string? _address;
    private readonly bool _issuerFromDiscovery;
    private readonly SigningKeySet _withoutIssuerKeys;
    private readonly ILogger<SigningKeys> _logger;
    private readonly Lock _lock = new();
    private (OpenIdConnectConfiguration Source, SigningKeySet Keys)? _fetched;
    private Exception? _lastFailure;

    /// <summary>
    /// By default the manager refreshes in the background and hands out the old keys meanwhile, so
    /// the very request that names a new key would fail. Blocking refreshes make that request wait
    /// for the fetch, and back off after a failure instead of fetching on every request.
    /// IdentityModel reads its switches once, early, so it is set in the runtime configuration
    /// (LogoutFunction.csproj), and checked here.
    /// </summary>
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    public SigningKeys(IOptionsMonitor<JwtOptions> options, ILogger<SigningKeys> logger)
    {
        var settings = options.CurrentValue;
        _logger = logger;
        _configured = settings.LoadSigningKeys();
        _withoutIssuerKeys = new SigningKeySet(_configured, discoveredIssuer: null, issuerKeysMissing: settings.KeysAddress is not null);
        if (settings.KeysAddress is not { } address)
        {
            return;
        }

        if (!AppContext.TryGetSwitch(BlockingRefreshSwitch, out var blocking) || !blocking)
        {
            throw new InvalidOperationException($"{BlockingRefreshSwitch} must be on for keys from the issuer (see LogoutFunction.csproj).");
        }

        _address = address;
        _issuerFromDiscovery = !string.IsNullOrWhiteSpace(settings.Authority);
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = FetchTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = FetchTimeout };
        var documents = new HttpDocumentRetriever(_http) { RequireHttps = !new Uri(address).IsLoopback };
        _issuer = new ConfigurationManager<OpenIdConnectConfiguration>(
            address,
            _issuerFromDiscovery ? new OpenIdConnectConfigurationRetriever() : new JwksRetriever(),
            documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromMinutes(settings.KeysRefreshMinutes),
            RefreshInterval = TimeSpan.FromSeconds(settings.UnknownKeyRefreshSeconds),
        };
    }

    /// <summary>Whether keys come from the issuer too, so an unknown key id is worth a refresh.</summary>
    public bool FromIssuer => _issuer is not null;

    /// <summary>The keys now; with an issuer, fetched first if they are due (and then the caller waits).</summary>
    public ValueTask<SigningKeySet> CurrentAsync(CancellationToken cancellationToken) =>
        _issuer is null ? ValueTask.FromResult(_withoutIssuerKeys) : new ValueTask<SigningKeySet>(FetchAsync(cancellationToken));

    /// <summary>The keys after asking the issuer again, unless it was asked within the rate limit.</summary>
    public async Task<SigningKeySet> RefreshAsync(CancellationToken cancellationToken)
    {
        _issuer?.RequestRefresh();
        return await CurrentAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SigningKeySet> FetchAsync(CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _issuer!.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The manager throws only while it never had keys; it keeps the last ones otherwise.
            // Logged once per failed fetch, not once per request that finds none.
            if (!ReferenceEquals(Interlocked.Exchange(ref _lastFailure, e.InnerException), e.InnerException))
            {
                LogUnreachable(_logger, _address!, e.InnerException?.GetType().Name ?? e.GetType().Name);
            }

            return _withoutIssuerKeys;
        }

        var fetched = _fetched;
        if (fetched is { } current && ReferenceEquals(current.Source, configuration))
        {
            return current.Keys;
        }

        lock (_lock)
        {
            if (_fetched is not { } latest || !ReferenceEquals(latest.Source, configuration))
            {
                _fetched = (configuration, KeysOf(configuration));
            }

            return _fetched.Value.Keys;
        }
    }

    private SigningKeySet KeysOf(OpenIdConnectConfiguration configuration)
    {
        var published = configuration.JsonWebKeySet is { } set
            ? SigningKeyLoader.FromIssuer(set, _address!, refused => LogKeyRefused(_logger, refused.Message))
            : [];
        LogFetched(_logger, published.Count, _address!);
        return new SigningKeySet([.. _configured, .. published], _issuerFromDiscovery ? configuration.Issuer : null, issuerKeysMissing: false);
    }

    public void Dispose() => _http?.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing keys could not be fetched from {Address} ({Failure}); tokens whose key is not configured are answered 503 until they can")]
    private static partial void LogUnreachable(ILogger logger, string address, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issuer key left out: {Reason}")]
    private static partial void LogKeyRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing key(s) from {Address}")]
    private static partial void LogFetched(ILogger logger, int count, string address);
}
