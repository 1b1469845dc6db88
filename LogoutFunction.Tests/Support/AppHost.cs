using System.Reflection;
using LogoutFunction.Http;
using Microsoft.Extensions.Hosting;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// The app as its own Program.cs builds it, for tests in process: the real entry point runs with
/// the test's settings as command-line configuration and stops once its host is built, before it
/// would connect to a Functions host (WebApplicationFactory does the same for ASP.NET Core apps).
/// Tests add their log capture and any stand-ins after the app's own registrations.
/// </summary>
public sealed class AppHost : IDisposable
{
    private static readonly AsyncLocal<Action<IServiceCollection>?> Building = new();
    private readonly IHost _host;

    static AppHost() => DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());

    /// <param name="settings">App settings by their configuration keys (<c>Jwt:PublicKeys</c>); null values are left out.</param>
    /// <param name="replace">Registrations that stand in for the app's, after its own.</param>
    public AppHost(IDictionary<string, string?> settings, Action<IServiceCollection>? replace = null)
    {
        string[] args = [.. settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];
        IHost? built = null;
        Building.Value = services =>
        {
            services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
            replace?.Invoke(services);
        };
        try
        {
            typeof(LogoutEndpoint).Assembly.EntryPoint!.Invoke(null, [args]);
        }
        catch (TargetInvocationException e) when (e.InnerException is HostBuilt stop)
        {
            built = stop.Host;
        }
        finally
        {
            Building.Value = null;
        }

        _host = built ?? throw new InvalidOperationException("The app's entry point returned without building its host.");
    }

    public CapturedLogs Logs { get; } = new();

    public IServiceProvider Provider => _host.Services;

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>The settings a test app needs: its keys, its store and its table.</summary>
    public static Dictionary<string, string?> Settings(string publicKeys, string storageConnection, string table) => new()
    {
        ["Jwt:PublicKeys"] = publicKeys,
        ["RefreshTokenStorage"] = storageConnection,
        ["RefreshTokenTable"] = table,
    };

    public void Dispose() => _host.Dispose();

    /// <summary>Thrown from the host-built event to leave the entry point before it runs the host.</summary>
    private sealed class HostBuilt(IHost host) : Exception
    {
        public IHost Host { get; } = host;
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new EventObserver());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    /// <summary>Hosting's events are written on the thread that builds the host: only that test's are acted on.</summary>
    private sealed class EventObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Building.Value is not { } configure)
            {
                return;
            }

            switch (value)
            {
                case { Key: "HostBuilding", Value: IHostBuilder builder }:
                    builder.ConfigureServices((_, services) => configure(services));
                    break;
                case { Key: "HostBuilt", Value: IHost host }:
                    throw new HostBuilt(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
