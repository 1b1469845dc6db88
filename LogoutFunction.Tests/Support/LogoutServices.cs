using LogoutFunction.Auth;
using LogoutFunction.Logout;
using LogoutFunction.RefreshTokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// The app's own registrations (the same <c>AddX()</c> calls as Program.cs) over settings
/// given by a test, so tests exercise the production wiring rather than hand-built objects.
/// </summary>
public sealed class LogoutServices : IDisposable
{
    private readonly ServiceProvider _provider;

    /// <param name="replace">Registrations that stand in for the app's, after its own.</param>
    public LogoutServices(IDictionary<string, string?> settings, Action<IServiceCollection>? replace = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddBearerTokenValidation()
            .AddRefreshTokenStore(configuration)
            .AddLogout();
        replace?.Invoke(services);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public CapturedLogs Logs { get; } = new();

    public IServiceProvider Provider => _provider;

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public static Dictionary<string, string?> Settings(string publicKeys, string storageConnection, string table) => new()
    {
        ["Jwt:PublicKeys"] = publicKeys,
        ["RefreshTokenStorage"] = storageConnection,
        ["RefreshTokenTable"] = table,
    };

    public void Dispose() => _provider.Dispose();
}
