namespace LogoutFunction.Tests.Support;

/// <summary>
/// A real Azurite Table service on a free 127.0.0.1 port, in memory, for the life of a test
/// collection (<see cref="AzuriteProcess"/>, the repository's one way to start it).
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public int Port => Azurite.Port;

    public string ConnectionString => Azurite.ConnectionString;

    public TableServiceClient ServiceClient => new(ConnectionString);

    private AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(RepositoryPaths.Root);

    /// <summary>A fresh, empty table for one test, so tests never see each other's rows.</summary>
    public async Task<TableClient> CreateTableAsync()
    {
        var table = ServiceClient.GetTableClient("t" + Guid.NewGuid().ToString("N"));
        await table.CreateAsync();
        return table;
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteServer>
{
    public const string Name = "Azurite";
}
