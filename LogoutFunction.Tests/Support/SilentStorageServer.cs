using System.Net.Sockets;

namespace LogoutFunction.Tests.Support;

/// <summary>A loopback port that accepts connections and never answers: a store that hangs.</summary>
public sealed class SilentStorageServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentStorageServer() => _listener.Start();

    public string ConnectionString => AzuriteProcess.ConnectionStringFor(((IPEndPoint)_listener.LocalEndpoint).Port);

    public void Dispose() => _listener.Stop();
}
