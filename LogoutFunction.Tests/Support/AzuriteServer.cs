using System.Diagnostics;
using Azure.Data.Tables;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// A real Azurite Table service on a free 127.0.0.1 port, in memory, for the life of a test
/// collection. Installed by <c>npm ci</c> from the repository's package-lock.json.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    // Azurite's well-known development account; public by design, not a secret.
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>The development account's connection string for a table endpoint on a loopback port.</summary>
    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    public TableServiceClient ServiceClient => new(ConnectionString);

    public async Task InitializeAsync()
    {
        var script = RepositoryPaths.Combine("node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run 'npm ci' in the repository root.");
        }

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableProductStyleUrl" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30), () => _process.HasExited);
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} at start-up.");
        }
    }

    /// <summary>A fresh, empty table for one test, so tests never see each other's rows.</summary>
    public async Task<TableClient> CreateTableAsync()
    {
        var table = ServiceClient.GetTableClient("t" + Guid.NewGuid().ToString("N"));
        await table.CreateAsync();
        return table;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
