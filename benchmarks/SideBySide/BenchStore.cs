using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using DevStorage;
using LogoutFunction.RefreshTokens;

namespace SideBySide;

/// <summary>
/// The store every app of the run talks to: one Azurite, one refresh-token table, reached by
/// the app and by the table-delete floor alike through a pre-signed (SAS) URL, so that neither
/// signs requests itself.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    public const string TableName = "RefreshTokens";

    private readonly AzuriteProcess _azurite;
    private readonly TableClient _table;

    private BenchStore(AzuriteProcess azurite, TableClient table, Uri tableSasUri)
    {
        _azurite = azurite;
        _table = table;
        TableSasUri = tableSasUri;
    }

    /// <summary>The table's URL with a SAS that allows deletes, for the floor.</summary>
    public Uri TableSasUri { get; }

    /// <summary>The same SAS as a connection string, for the app's RefreshTokenStorage setting.</summary>
    public string SasConnectionString => $"TableEndpoint=http://127.0.0.1:{_azurite.Port}/devstoreaccount1;SharedAccessSignature={TableSasUri.Query.TrimStart('?')}";

    public static async Task<BenchStore> StartAsync(string repositoryRoot)
    {
        var azurite = await AzuriteProcess.StartAsync(repositoryRoot).ConfigureAwait(false);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableName);
        await table.CreateAsync().ConfigureAwait(false);
        var sas = table.GenerateSasUri(TableSasPermissions.Delete, DateTimeOffset.UtcNow.AddDays(1));
        return new BenchStore(azurite, table, sas);
    }

    /// <summary>Stores <paramref name="count"/> fresh refresh tokens of the user; returns them.</summary>
    public async Task<IReadOnlyList<string>> SeedAsync(string userId, int count)
    {
        var tokens = Enumerable.Range(0, count).Select(_ => "bench-" + Guid.NewGuid().ToString("N")).ToList();
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (token, cancellation) =>
            await _table.AddEntityAsync(RefreshTokenEntity.Create(token, userId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)), cancellation).ConfigureAwait(false)).ConfigureAwait(false);
        return tokens;
    }

    /// <summary>
    /// The store alone: <paramref name="count"/> fresh refresh tokens' entities, each deleted by
    /// the same pre-signed DELETE the floors send, for wrk to send straight to Azurite (it answers 204).
    /// </summary>
    public async Task<IReadOnlyList<WrkRequest>> BareDeletesAsync(int count)
    {
        var headers = new Dictionary<string, string> { ["If-Match"] = "*", ["x-ms-version"] = "2019-02-02", ["Accept"] = "application/json;odata=nometadata" };
        return [.. (await SeedAsync("bench-store-alone", count).ConfigureAwait(false)).Select(token => RefreshTokenKey.For(token, "bench-store-alone"))
            .Select(key => new WrkRequest("DELETE", $"{TableSasUri.AbsolutePath}(PartitionKey='{key.PartitionKey}',RowKey='{key.RowKey}'){TableSasUri.Query}", headers, ""))];
    }

    /// <summary>Where <see cref="BareDeletesAsync"/>' requests go.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{_azurite.Port}/");

    public ValueTask DisposeAsync() => _azurite.DisposeAsync();
}
