using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// The keys a token may be signed with (docs/design.md, "Keys"): <c>Jwt__PublicKeys</c>, read
/// once, and with <c>Jwt__Authority</c> or <c>Jwt__JwksUri</c> the issuer's, through IdentityModel's
/// <see cref="ConfigurationManager{T}"/>: fetched while the worker starts, again every
/// <c>Jwt__KeysRefreshMinutes</c>, and when a token names an unknown key id (at most once per
/// <c>Jwt__UnknownKeyRefreshSeconds</c> whatever the fetches' outcome; the first time at once).
/// The last usable keys stay in use while the issuer fails, for at most <c>Jwt__IssuerKeysMaxAgeHours</c>.
/// Each fetch gives one <see cref="Snapshot"/>: the only cache.
/// </summary>
public sealed partial class SigningKeys : IHostedService, IDisposable
{
    /// <summary>
    /// By default the configuration manager refreshes in the background and hands out the old
    /// keys meanwhile, so the very request that names a new key would fail. Blocking refreshes
    /// make it wait, and back off after a failure. IdentityModel reads its switches once, early,
    /// so it is set in the runtime configuration (LogoutFunction.csproj), and checked here.
    /// </summary>
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    /// <summary>The longest a request waits for the issuer's keys; then it goes on with the keys there are.</summary>
    public static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(4);

    private readonly Snapshot _configuredOnly;
    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _issuer;
    private readonly IssuerDocumentRetriever? _documents;
    private readonly string _address = "";
    private readonly bool _issuerFromDiscovery;

    /// <summary>With <c>Jwt__Authority</c> and no <c>Jwt__Issuer</c>: the <c>issuer</c> the discovery document must name.</summary>
    private readonly string? _requiredIssuer;
    private readonly TimeSpan _unknownKeyRefresh;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Snapshot? _fetched;
    private long _lastUnknownKeyRefresh = long.MinValue;
    private int _expiryLogged;

    public SigningKeys(IOptions<JwtOptions> options, TimeProvider time, ILogger<SigningKeys> logger)
    {
        var settings = options.Value;
        _time = time;
        _logger = logger;
        var configured = string.IsNullOrWhiteSpace(settings.PublicKeys) ? [] : PublicKeyReader.ReadConfigured(settings.PublicKeys);
        _issuerFromDiscovery = !string.IsNullOrWhiteSpace(settings.Authority);
        _configuredOnly = new Snapshot(configured, discoveredIssuer: null, issuerKeysMissing: settings.KeysAddress is not null, issuerUnknown: _issuerFromDiscovery);
        if (settings.KeysAddress is not { } address)
        {
            return;
        }

        if (!AppContext.TryGetSwitch(BlockingRefreshSwitch, out var blocking) || !blocking)
        {
            throw new InvalidOperationException($"{BlockingRefreshSwitch} must be on for keys from the issuer (see LogoutFunction.csproj).");
        }

        _address = address;
        // OpenID Connect Discovery 1.0, section 4.3: the issuer must be the URL discovery started from.
        _requiredIssuer = _issuerFromDiscovery && settings.IssuerList.Count == 0 ? settings.Authority : null;
        _unknownKeyRefresh = TimeSpan.FromSeconds(settings.UnknownKeyRefreshSeconds);
        _maxAge = TimeSpan.FromHours(settings.IssuerKeysMaxAgeHours);
        _documents = new IssuerDocumentRetriever(logger);
        _issuer = new ConfigurationManager<OpenIdConnectConfiguration>(
            address,
            _issuerFromDiscovery ? new OpenIdConnectConfigurationRetriever() : new JwksRetriever(),
            _documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromMinutes(settings.KeysRefreshMinutes),
            RefreshInterval = _unknownKeyRefresh,
        };
    }

    /// <summary>Whether keys come from the issuer too, so an unknown key id is worth a refresh.</summary>
    public bool FromIssuer => _issuer is not null;

    /// <summary>The keys now; with an issuer, fetched first if they are due (the caller waits, within <see cref="WaitBudget"/>).</summary>
    public async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_issuer is null)
        {
            return _configuredOnly;
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await _issuer.GetConfigurationAsync(cancellationToken).WaitAsync(WaitBudget, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // The manager throws only while it never had keys (it keeps the last ones otherwise);
            // a fetch still under way past the budget is left to finish for the next request.
            return NotTooOld(Volatile.Read(ref _fetched) ?? _configuredOnly);
        }

        var fetched = Volatile.Read(ref _fetched);
        if (fetched is null || !ReferenceEquals(fetched.Source, configuration))
        {
            lock (_lock)
            {
                if (_fetched is null || !ReferenceEquals(_fetched.Source, configuration))
                {
                    Volatile.Write(ref _fetched, FromConfiguration(configuration, _fetched));
                }

                fetched = _fetched!;
            }
        }

        return NotTooOld(fetched);
    }

    /// <summary>The keys after asking the issuer again, unless it was asked within <c>Jwt__UnknownKeyRefreshSeconds</c>.</summary>
    public async ValueTask<Snapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        // The manager counts only successful fetches against its own limit, so while the issuer
        // fails every unknown kid would fetch again: the limit is kept here, whatever the outcome.
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastUnknownKeyRefresh);
        if (_issuer is not null
            && (last == long.MinValue || now - last >= _unknownKeyRefresh.Ticks)
            && Interlocked.CompareExchange(ref _lastUnknownKeyRefresh, now, last) == last)
        {
            _issuer.RequestRefresh();
        }

        return await CurrentAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not awaited: an issuer that is down must not keep the worker from starting.
        if (_issuer is not null)
        {
            _ = CurrentAsync(CancellationToken.None).AsTask();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _documents?.Dispose();

    /// <summary>The keys a fetched configuration gives, or the last usable ones (with their age) if it gives none.</summary>
    private Snapshot FromConfiguration(OpenIdConnectConfiguration configuration, Snapshot? previous)
    {
        var issuer = _issuerFromDiscovery ? configuration.Issuer : null;
        if (_requiredIssuer is not null && !string.Equals(issuer, _requiredIssuer, StringComparison.Ordinal))
        {
            LogIssuerMismatch(_logger, _address, _requiredIssuer);
            return (previous ?? _configuredOnly).From(configuration);
        }

        var published = configuration.JsonWebKeySet is { } set
            ? PublicKeyReader.ReadPublished(set, _address, refused => LogKeyRefused(_logger, refused.Message))
            : [];
        if (published.Count == 0 || (_issuerFromDiscovery && string.IsNullOrWhiteSpace(issuer)))
        {
            LogUnusable(_logger, _address);
            return (previous ?? _configuredOnly).From(configuration);
        }

        LogFetched(_logger, published.Count, _address);
        Interlocked.Exchange(ref _expiryLogged, 0);
        // Configured keys first: one wins its key id over a published key with the same id.
        return new Snapshot([.. _configuredOnly.All, .. published], issuer, issuerKeysMissing: false, issuerUnknown: false, configuration, _time.GetUtcNow());
    }

    /// <summary>
    /// Keys not fetched again for <c>Jwt__IssuerKeysMaxAgeHours</c> are dropped: the issuer may
    /// have withdrawn one of them meanwhile, and whoever keeps us from reaching it must not keep
    /// such a key alive. Tokens that need them are then answered as if none was ever fetched.
    /// </summary>
    private Snapshot NotTooOld(Snapshot keys)
    {
        if (keys.FetchedAt is not { } fetchedAt || _time.GetUtcNow() - fetchedAt <= _maxAge)
        {
            return keys;
        }

        if (Interlocked.Exchange(ref _expiryLogged, 1) == 0)
        {
            LogKeysExpired(_logger, _address, _maxAge.TotalHours);
        }

        return _configuredOnly;
    }

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

    /// <summary>The keys a token may be signed with at one moment, and the validation parameters built for them once.</summary>
    public sealed class Snapshot
    {
        private readonly Dictionary<string, SecurityKey> _byId;
        private TokenValidationParameters? _parameters;

        internal Snapshot(IReadOnlyList<SecurityKey> keys, string? discoveredIssuer, bool issuerKeysMissing, bool issuerUnknown, object? source = null, DateTimeOffset? fetchedAt = null)
        {
            All = keys;
            _byId = keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            DiscoveredIssuer = discoveredIssuer;
            IssuerKeysMissing = issuerKeysMissing;
            IssuerUnknown = issuerUnknown;
            Source = source;
            FetchedAt = fetchedAt;
        }

        public IReadOnlyList<SecurityKey> All { get; }

        /// <summary>The discovery document's <c>issuer</c>, with <c>Jwt__Authority</c>.</summary>
        public string? DiscoveredIssuer { get; }

        /// <summary>Keys should come from the issuer, and none is at hand: a key that is not found may exist there.</summary>
        public bool IssuerKeysMissing { get; }

        /// <summary>The accepted issuer is the discovery document's, which was never fetched: no token can be checked against it yet.</summary>
        public bool IssuerUnknown { get; }

        /// <summary>The configuration these keys came from (null: configured keys alone).</summary>
        internal object? Source { get; }

        /// <summary>When the issuer last gave usable keys (null: never).</summary>
        internal DateTimeOffset? FetchedAt { get; }

        public IReadOnlyList<SecurityKey> WithId(string keyId) => _byId.TryGetValue(keyId, out var key) ? [key] : [];

        /// <summary>Validation parameters for these keys, built by <paramref name="build"/> the first time they are asked for.</summary>
        public TokenValidationParameters Parameters(Func<Snapshot, TokenValidationParameters> build) =>
            Volatile.Read(ref _parameters) ?? Interlocked.CompareExchange(ref _parameters, build(this), null) ?? _parameters!;

        /// <summary>The same keys, now standing for <paramref name="configuration"/>: a fetch that gave nothing usable keeps them, and their age.</summary>
        internal Snapshot From(object configuration) =>
            new(All, DiscoveredIssuer, IssuerKeysMissing, IssuerUnknown, configuration, FetchedAt) { _parameters = _parameters };
    }
}
