using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DevStorage;

/// <summary>
/// Azurite's Table service, from the repository's pinned npm package (<c>npm ci</c> installs it),
/// on 127.0.0.1: in memory on a free port for tests and benchmarks, or on a fixed port with its
/// data in a folder for local runs. Disposing stops it.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key: public by design, not a secret.</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private AzuriteProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    /// <summary>Completes when Azurite exits, on its own or after <see cref="DisposeAsync"/>.</summary>
    public Task Exited => _process.WaitForExitAsync();

    public string ConnectionString => ConnectionStringFor(Port);

    /// <summary>The development account's connection string for a Table endpoint on a loopback port.</summary>
    public static string ConnectionStringFor(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/devstoreaccount1;";

    /// <param name="repositoryRoot">The folder with the package.json that pins Azurite.</param>
    /// <param name="port">0 for any free port.</param>
    /// <param name="dataFolder">Where Azurite keeps its data; null keeps it in memory.</param>
    /// <param name="output">Receives Azurite's output lines; null discards them.</param>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, int port = 0, string? dataFolder = null, Action<string>? output = null, CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} is missing): run 'npm ci' in the repository root.");
        }

        port = port == 0 ? LoopbackPort.Free() : port;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in new[] { "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--disableProductStyleUrl" })
        {
            start.ArgumentList.Add(argument);
        }

        if (dataFolder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataFolder);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.OutputDataReceived += (_, line) => Forward(line.Data);
        process.ErrorDataReceived += (_, line) => Forward(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, port);
        try
        {
            await WaitUntilListeningAsync(port, process, cancellationToken).ConfigureAwait(false);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        void Forward(string? line)
        {
            if (line is not null)
            {
                output?.Invoke(line);
            }
        }
    }

    public ValueTask DisposeAsync() => ProcessStop.KillTreeAsync(_process, TimeSpan.FromSeconds(10));

    private static async Task WaitUntilListeningAsync(int port, Process process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} at start-up.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new TimeoutException($"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s.");
    }
}
