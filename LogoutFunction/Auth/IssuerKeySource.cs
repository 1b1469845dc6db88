using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// The issuer's published keys (<c>Jwt__Authority</c> or <c>Jwt__JwksUri</c>) through IdentityModel's
/// <see cref="ConfigurationManager{T}"/>: fetched at start-up, again every <c>Jwt__KeysRefreshMinutes</c>,
/// and at once when a token names a key id not known yet (at most once per
/// <c>Jwt__UnknownKeyRefreshSeconds</c> whatever the fetches' outcome; the first time after start-up
/// is allowed at once). The last usable keys stay in use while the issuer cannot be reached or
/// publishes nothing usable. Each key set holds the configured keys too.
/// </summary>
internal sealed partial class IssuerKeySource : IDisposable
{
    /// <summary>One attempt at one of the issuer's documents.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The longest a request waits for the issuer's keys; then it goes on with the keys there are.</summary>
    public static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(4);

    private readonly IReadOnlyList<SecurityKey> _configured;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _issuer;
    private readonly HttpClient _http;
    private readonly string _address;
    private readonly bool _issuerFromDiscovery;
    private readonly long _unknownKeyRefreshMs;
    private readonly SigningKeySet _withoutIssuerKeys;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Fetched? _fetched;
    private long _lastUnknownKeyRefresh = long.MinValue;

    public IssuerKeySource(JwtOptions settings, string address, IReadOnlyList<SecurityKey> configured, SigningKeySet withoutIssuerKeys, ILogger logger)
    {
        _logger = logger;
        _configured = configured;
        _withoutIssuerKeys = withoutIssuerKeys;
        _issuerFromDiscovery = !string.IsNullOrWhiteSpace(settings.Authority);
        _address = address;
        _unknownKeyRefreshMs = settings.UnknownKeyRefreshSeconds * 1000L;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = FetchTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = FetchTimeout };
        var documents = new LoggedDocumentRetriever(new HttpDocumentRetriever(_http) { RequireHttps = !new Uri(address).IsLoopback }, logger);
        _issuer = new ConfigurationManager<OpenIdConnectConfiguration>(
            address,
            _issuerFromDiscovery ? new OpenIdConnectConfigurationRetriever() : new JwksRetriever(),
            documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromMinutes(settings.KeysRefreshMinutes),
            RefreshInterval = TimeSpan.FromSeconds(settings.UnknownKeyRefreshSeconds),
        };
    }

    /// <summary>The keys after asking the issuer again, unless it was asked within <c>Jwt__UnknownKeyRefreshSeconds</c>.</summary>
    public async Task<SigningKeySet> RefreshAsync(CancellationToken cancellationToken)
    {
        // The manager only counts successful fetches against its own limit, so while the issuer
        // fails every unknown kid would fetch again: the limit is kept here, whatever the outcome.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastUnknownKeyRefresh);
        if ((last == long.MinValue || now - last >= _unknownKeyRefreshMs)
            && Interlocked.CompareExchange(ref _lastUnknownKeyRefresh, now, last) == last)
        {
            _issuer.RequestRefresh();
        }

        return await CurrentAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The keys now, fetched first if they are due (the caller waits, within <see cref="WaitBudget"/>).</summary>
    public async Task<SigningKeySet> CurrentAsync(CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _issuer.GetConfigurationAsync(cancellationToken).WaitAsync(WaitBudget, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // The manager throws only while it never had keys (it keeps the last ones otherwise);
            // a fetch still under way past the budget is left to finish for the next request.
            return Volatile.Read(ref _fetched)?.Keys ?? _withoutIssuerKeys;
        }

        var fetched = Volatile.Read(ref _fetched);
        if (fetched is not null && ReferenceEquals(fetched.Source, configuration))
        {
            return fetched.Keys;
        }

        lock (_lock)
        {
            if (_fetched is null || !ReferenceEquals(_fetched.Source, configuration))
            {
                Volatile.Write(ref _fetched, new Fetched(configuration, KeysOf(configuration, _fetched?.Keys)));
            }

            return _fetched!.Keys;
        }
    }

    /// <summary>The keys a fetched configuration gives, or the last usable ones if it gives none.</summary>
    private SigningKeySet KeysOf(OpenIdConnectConfiguration configuration, SigningKeySet? previous)
    {
        var published = configuration.JsonWebKeySet is { } set
            ? SigningKeyLoader.FromIssuer(set, _address, refused => LogKeyRefused(_logger, refused.Message))
            : [];
        var issuer = _issuerFromDiscovery ? configuration.Issuer : null;
        if (published.Count == 0 || (_issuerFromDiscovery && string.IsNullOrWhiteSpace(issuer)))
        {
            LogUnusable(_logger, _address);
            return previous ?? _withoutIssuerKeys;
        }

        LogFetched(_logger, published.Count, _address);
        return new SigningKeySet([.. _configured, .. published], issuer, issuerKeysMissing: false, issuerUnknown: false);
    }

    public void Dispose() => _http.Dispose();

    private sealed record Fetched(OpenIdConnectConfiguration Source, SigningKeySet Keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issuer key left out: {Reason}")]
    private static partial void LogKeyRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Address} gave no usable signing key (or no issuer); the keys fetched before, if any, stay in use")]
    private static partial void LogUnusable(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing key(s) from {Address}")]
    private static partial void LogFetched(ILogger logger, int count, string address);
}
