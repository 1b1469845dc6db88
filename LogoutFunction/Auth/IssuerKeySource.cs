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
/// publishes nothing usable, for at most <c>Jwt__IssuerKeysMaxAgeHours</c>. Each key set holds the
/// configured keys too.
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

    /// <summary>With <c>Jwt__Authority</c> and no <c>Jwt__Issuer</c>: the <c>issuer</c> the discovery document must name.</summary>
    private readonly string? _requiredIssuer;
    private readonly long _unknownKeyRefreshMs;
    private readonly TimeSpan _maxAge;
    private readonly SigningKeySet _withoutIssuerKeys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Fetched? _fetched;
    private long _lastUnknownKeyRefresh = long.MinValue;
    private int _expiryLogged;

    public IssuerKeySource(JwtOptions settings, string address, IReadOnlyList<SecurityKey> configured, SigningKeySet withoutIssuerKeys, TimeProvider time, ILogger logger)
    {
        _logger = logger;
        _time = time;
        _configured = configured;
        _withoutIssuerKeys = withoutIssuerKeys;
        _issuerFromDiscovery = !string.IsNullOrWhiteSpace(settings.Authority);
        // OpenID Connect Discovery 1.0, section 4.3: the issuer must be the URL discovery started from.
        _requiredIssuer = _issuerFromDiscovery && settings.IssuerList.Count == 0 ? settings.Authority : null;
        _address = address;
        _unknownKeyRefreshMs = settings.UnknownKeyRefreshSeconds * 1000L;
        _maxAge = TimeSpan.FromHours(settings.IssuerKeysMaxAgeHours);
        var transport = new SocketsHttpHandler { ConnectTimeout = FetchTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(10), AllowAutoRedirect = false };
        _http = new HttpClient(new IssuerDocumentLimitsHandler(transport)) { Timeout = FetchTimeout };
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
        if (fetched is null || !ReferenceEquals(fetched.Source, configuration))
        {
            lock (_lock)
            {
                if (_fetched is null || !ReferenceEquals(_fetched.Source, configuration))
                {
                    Volatile.Write(ref _fetched, FetchedFrom(configuration, _fetched));
                }

                fetched = _fetched!;
            }
        }

        return NotTooOld(fetched);
    }

    /// <summary>The keys a fetched configuration gives, or the last usable ones (and their age) if it gives none.</summary>
    private Fetched FetchedFrom(OpenIdConnectConfiguration configuration, Fetched? previous)
    {
        var published = configuration.JsonWebKeySet is { } set
            ? SigningKeyLoader.FromIssuer(set, _address, refused => LogKeyRefused(_logger, refused.Message))
            : [];
        var issuer = _issuerFromDiscovery ? configuration.Issuer : null;
        if (_requiredIssuer is not null && !string.Equals(issuer, _requiredIssuer, StringComparison.Ordinal))
        {
            LogIssuerMismatch(_logger, _address, _requiredIssuer);
            return new Fetched(configuration, previous?.Keys ?? _withoutIssuerKeys, previous?.KeysFetchedAt);
        }

        if (published.Count == 0 || (_issuerFromDiscovery && string.IsNullOrWhiteSpace(issuer)))
        {
            LogUnusable(_logger, _address);
            return new Fetched(configuration, previous?.Keys ?? _withoutIssuerKeys, previous?.KeysFetchedAt);
        }

        LogFetched(_logger, published.Count, _address);
        Interlocked.Exchange(ref _expiryLogged, 0);
        var keys = new SigningKeySet([.. _configured, .. published], issuer, issuerKeysMissing: false, issuerUnknown: false);
        return new Fetched(configuration, keys, _time.GetUtcNow());
    }

    /// <summary>
    /// Keys not fetched again for <c>Jwt__IssuerKeysMaxAgeHours</c> are dropped: the issuer may
    /// have withdrawn one of them meanwhile, and whoever keeps us from reaching it must not keep
    /// such a key alive. Tokens that need them are then answered as if none was ever fetched.
    /// </summary>
    private SigningKeySet NotTooOld(Fetched fetched)
    {
        if (fetched.KeysFetchedAt is not { } fetchedAt || _time.GetUtcNow() - fetchedAt <= _maxAge)
        {
            return fetched.Keys;
        }

        if (Interlocked.Exchange(ref _expiryLogged, 1) == 0)
        {
            LogKeysExpired(_logger, _address, _maxAge.TotalHours);
        }

        return _withoutIssuerKeys;
    }

    public void Dispose() => _http.Dispose();

    /// <param name="KeysFetchedAt">When the issuer last gave usable keys (null: never).</param>
    private sealed record Fetched(OpenIdConnectConfiguration Source, SigningKeySet Keys, DateTimeOffset? KeysFetchedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issuer key left out: {Reason}")]
    private static partial void LogKeyRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Address} gave no usable signing key (or no issuer); the keys fetched before, if any, stay in use")]
    private static partial void LogUnusable(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Address} names an issuer other than Jwt__Authority ({Authority}), which OpenID Connect Discovery forbids; its keys are not used (set Jwt__Issuer if that issuer is meant)")]
    private static partial void LogIssuerMismatch(ILogger logger, string address, string authority);

    [LoggerMessage(Level = LogLevel.Error, Message = "The keys from {Address} were last fetched more than {MaxAgeHours} hours ago (Jwt__IssuerKeysMaxAgeHours): they are no longer used, and tokens that need them are answered 503 until a fetch succeeds")]
    private static partial void LogKeysExpired(ILogger logger, string address, double maxAgeHours);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetched {Count} signing key(s) from {Address}")]
    private static partial void LogFetched(ILogger logger, int count, string address);
}
