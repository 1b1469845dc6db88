extern alias DevTool;

using System.Reflection;
using System.Text.Json.Nodes;
using FunctionsHostEmulator;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// The built app, served over HTTP on loopback: by default the real worker process under the
/// host emulator, with its own Azurite and a key pair made for this run; with
/// <c>LOGOUT_BASE_URL</c> set, an app already running there (a real <c>func start</c>) whose
/// store is <c>LOGOUT_E2E_STORAGE</c> (default Azurite's) and whose trusted key is the
/// private half in <c>LOGOUT_E2E_SIGNING_KEY</c> (default <c>.devkeys/private.pem</c>).
/// </summary>
public sealed class LogoutApp : IAsyncLifetime
{
    public const string CorsOrigin = "http://localhost:3000";
    private const string TableName = "RefreshTokens";
    private const string MarkerTableName = "RefreshTokenRevocations";

    private readonly AzuriteServer? _azurite;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Lazy<Task<FunctionsHost>> _adversarialHost;
    private readonly Lazy<Task<(FaultProxy Proxy, FunctionsHost Host)>> _faultyStoreHost;
    private readonly Lazy<Task<FunctionsHost>> _globalLogoutHost;
    private FunctionsHost? _host;
    private string? _settingsFile;

    public LogoutApp()
    {
        _adversarialHost = new(StartAdversarialHostAsync);
        _faultyStoreHost = new(StartFaultyStoreHostAsync);
        _globalLogoutHost = new(StartGlobalLogoutHostAsync);
        if (ExternalBaseUrl is null)
        {
            _azurite = new AzuriteServer();
        }
    }

    /// <summary>The address of an already running app, when the suite runs against one.</summary>
    public static Uri? ExternalBaseUrl =>
        Environment.GetEnvironmentVariable("LOGOUT_BASE_URL") is { Length: > 0 } url ? new Uri(url) : null;

    public static bool IsEmulated => ExternalBaseUrl is null;

    /// <summary>The built app's output folder, in the configuration these tests were built in.</summary>
    public static string AppDirectory => RepositoryPaths.Combine(
        "LogoutFunction", "bin", typeof(LogoutApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0");

    public HttpClient Client { get; private set; } = null!;

    public TestKey SigningKey { get; private set; } = null!;

    public TableClient Table { get; private set; } = null!;

    /// <summary>The revocation markers that a global logout writes (<c>RevocationTable</c>).</summary>
    public TableClient Markers { get; private set; } = null!;

    /// <summary>The issuer's side of a global logout, as DevTokens implements it for reference, over this run's tables.</summary>
    public DevTool::DevTokens.RefreshTokenRedeemer Issuer => new(Table, Markers);

    /// <summary>Everything the emulated host and workers printed (empty against an external app).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The same, line by line.</summary>
    public IReadOnlyList<string> OutputLines => [.. _output];

    /// <summary>The main worker's process id (null against an external app).</summary>
    public int? WorkerProcessId => _host?.WorkerProcessId;

    /// <summary>The app's own settings in emulated mode, for tests that start a second worker with one changed.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        if (_azurite is null)
        {
            var keyFile = Environment.GetEnvironmentVariable("LOGOUT_E2E_SIGNING_KEY") is { Length: > 0 } path ? path : RepositoryPaths.Combine(".devkeys", "private.pem");
            SigningKey = TestKey.RsaFromPrivatePem(await File.ReadAllTextAsync(keyFile));
            var storage = Environment.GetEnvironmentVariable("LOGOUT_E2E_STORAGE") is { Length: > 0 } connection ? connection : "UseDevelopmentStorage=true";
            Table = new TableServiceClient(storage).GetTableClient(TableName);
            await Table.CreateIfNotExistsAsync();
            Markers = new TableServiceClient(storage).GetTableClient(MarkerTableName);
            await Markers.CreateIfNotExistsAsync();
            Client = new HttpClient { BaseAddress = ExternalBaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            return;
        }

        await _azurite.InitializeAsync();
        SigningKey = TestKey.Rsa();
        Table = _azurite.ServiceClient.GetTableClient(TableName);
        await Table.CreateAsync();
        Markers = _azurite.ServiceClient.GetTableClient(MarkerTableName);
        await Markers.CreateAsync();
        Settings["Jwt__PublicKeys"] = SigningKey.PublicPem;
        Settings["RefreshTokenStorage"] = _azurite.ConnectionString;
        Settings["RefreshTokenTable"] = TableName;
        Settings["RevocationTable"] = MarkerTableName;

        // CORS lives in local settings' Host section, as under func start.
        _settingsFile = Path.Combine(Path.GetTempPath(), $"logout-e2e-{Guid.NewGuid():N}.json");
        var localSettings = new JsonObject
        {
            ["IsEncrypted"] = false,
            ["Values"] = new JsonObject { ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated" },
            ["Host"] = new JsonObject { ["CORS"] = CorsOrigin, ["CORSCredentials"] = false },
        };
        await File.WriteAllTextAsync(_settingsFile, localSettings.ToJsonString());

        _host = await StartHostAsync(Settings, _output.Enqueue);
        Client = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts another emulated worker of the built app with the given settings, on <paramref name="port"/> (0: any free one).</summary>
    public Task<FunctionsHost> StartHostAsync(IReadOnlyDictionary<string, string?> settings, Action<string> output, int port = 0) =>
        FunctionsHost.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = AppDirectory,
            LocalSettingsPath = _settingsFile,
            HttpPort = port,
            Settings = settings,
            Output = output,
        });

    /// <summary>The configuration the adversarial tokens are made for (emulated mode only).</summary>
    public AdversarialSetup Adversarial { get; } = new();

    /// <summary>A second worker of the app, on the same store, configured as <see cref="Adversarial"/>; started once, on first use.</summary>
    public async Task<Uri> AdversarialAppAsync() => (await _adversarialHost.Value).BaseAddress;

    private Task<FunctionsHost> StartAdversarialHostAsync()
    {
        var settings = new Dictionary<string, string?>(Settings);
        foreach (var (name, value) in Adversarial.Settings)
        {
            settings[name] = value;
        }

        return StartHostAsync(settings, _output.Enqueue);
    }

    /// <summary>A second worker of the app, on the same store, with global logout on (<c>Logout__AllowGlobal</c>); started once, on first use.</summary>
    public async Task<Uri> GlobalLogoutAppAsync() => (await _globalLogoutHost.Value).BaseAddress;

    private Task<FunctionsHost> StartGlobalLogoutHostAsync() =>
        StartHostAsync(new Dictionary<string, string?>(Settings) { ["Logout__AllowGlobal"] = "true" }, _output.Enqueue);

    /// <summary>
    /// A second worker of the app whose store is reached through a <see cref="FaultProxy"/> in
    /// front of this run's Azurite (emulated mode only); started once, on first use. Its output
    /// goes to <see cref="Output"/> too.
    /// </summary>
    public async Task<(FaultProxy Proxy, Uri BaseAddress)> FaultyStoreAppAsync()
    {
        var (proxy, host) = await _faultyStoreHost.Value;
        return (proxy, host.BaseAddress);
    }

    private async Task<(FaultProxy, FunctionsHost)> StartFaultyStoreHostAsync()
    {
        var proxy = new FaultProxy(_azurite!.Port);
        var settings = new Dictionary<string, string?>(Settings) { ["RefreshTokenStorage"] = proxy.ConnectionString };
        return (proxy, await StartHostAsync(settings, _output.Enqueue));
    }

    /// <summary>Stores a fresh refresh token for the user, as the login endpoint would, created now or at <paramref name="createdAt"/>.</summary>
    public async Task<(string RefreshToken, RefreshTokenEntity Entity)> SeedAsync(string userId, DateTimeOffset? createdAt = null)
    {
        var refreshToken = "e2e-" + Guid.NewGuid().ToString("N");
        return (refreshToken, await Table.SeedAsync(refreshToken, userId, createdAt));
    }

    public Task<bool> ExistsAsync(RefreshTokenEntity entity) => Table.ContainsAsync(entity);

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_adversarialHost.IsValueCreated && _adversarialHost.Value.IsCompletedSuccessfully)
        {
            await (await _adversarialHost.Value).DisposeAsync();
        }

        if (_globalLogoutHost.IsValueCreated && _globalLogoutHost.Value.IsCompletedSuccessfully)
        {
            await (await _globalLogoutHost.Value).DisposeAsync();
        }

        if (_faultyStoreHost.IsValueCreated && _faultyStoreHost.Value.IsCompletedSuccessfully)
        {
            var (proxy, host) = await _faultyStoreHost.Value;
            await host.DisposeAsync();
            await proxy.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (_settingsFile is not null)
        {
            File.Delete(_settingsFile);
        }

        // Everything the workers logged over the whole end-to-end run, whichever test wrote it;
        // checked once every process is stopped, so a finding never leaves one running.
        LogHygiene.AssertClean(OutputLines);
    }
}

[CollectionDefinition(Name)]
public sealed class LogoutAppCollectionDefinition : ICollectionFixture<LogoutApp>
{
    public const string Name = "End to end";
}
