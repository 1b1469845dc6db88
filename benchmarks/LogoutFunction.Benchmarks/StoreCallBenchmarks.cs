using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using BenchmarkDotNet.Attributes;
using DevStorage;
using LogoutFunction.RefreshTokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LogoutFunction.Benchmarks;

/// <summary>
/// What the store call costs the worker beside its floor: the same pre-signed delete sent with a
/// bare <see cref="HttpClient"/>, as the <c>table-delete</c> floor function sends it. The store is
/// a loopback server in this process that answers every delete at once with the Table service's
/// 404 (ResourceNotFound): against Azurite, whose own half-millisecond per request varies by more
/// than the client's whole cost, the difference could not be seen (docs/performance.md). So this
/// measures the client's side only; the side-by-side run measures the whole path against Azurite.
/// <see cref="RefreshTokenStore"/> comes from the app's own registrations (its client options and
/// pipeline policies).
/// </summary>
[MemoryDiagnoser]
public class StoreCallBenchmarks : IAsyncDisposable
{
    private static readonly RefreshTokenKey Absent = RefreshTokenKey.For("no-such-refresh-token", "alice");

    private readonly HttpClient _bare = new();
    private WebApplication _web = null!;
    private ServiceProvider _services = null!;
    private RefreshTokenStore _store = null!;
    private TableClient _defaultClient = null!;
    private Uri _entity = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _web = builder.Build();
        ((IApplicationBuilder)_web).Run(async context =>
        {
            context.Response.StatusCode = 404;
            context.Response.Headers["x-ms-error-code"] = "ResourceNotFound";
            context.Response.ContentType = "application/json;odata=nometadata;streaming=true;charset=utf-8";
            await context.Response.WriteAsync("{\"odata.error\":{\"code\":\"ResourceNotFound\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified resource does not exist.\"}}}");
        });
        await _web.StartAsync();
        var address = _web.Urls.First();
        var table = new TableServiceClient(AzuriteProcess.ConnectionStringFor(new Uri(address).Port)).GetTableClient("RefreshTokens");
        var sas = table.GenerateSasUri(TableSasPermissions.Delete, DateTimeOffset.UtcNow.AddDays(1));
        var connectionString = $"TableEndpoint={address}/devstoreaccount1;SharedAccessSignature={sas.Query.TrimStart('?')}";

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RefreshTokenStorage"] = connectionString, ["RefreshTokenTable"] = "RefreshTokens" })
            .Build();
        _services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddRefreshTokenStore(configuration).BuildServiceProvider();
        _store = _services.GetRequiredService<RefreshTokenStore>();
        _defaultClient = new TableClient(new Uri(sas.GetLeftPart(UriPartial.Path)), new AzureSasCredential(sas.Query));
        _entity = new UriBuilder(sas) { Path = $"{sas.AbsolutePath}(PartitionKey='{Absent.PartitionKey}',RowKey='{Absent.RowKey}')" }.Uri;
    }

    [Benchmark(Baseline = true, Description = "floor: the delete with a bare HttpClient")]
    public async Task<int> Bare()
    {
        using var delete = new HttpRequestMessage(HttpMethod.Delete, _entity);
        delete.Headers.TryAddWithoutValidation("If-Match", "*");
        delete.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        delete.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
        using var answer = await _bare.SendAsync(delete);
        return (int)answer.StatusCode;
    }

    [Benchmark(Description = "TableClient.DeleteEntityAsync, default options")]
    public async Task<int> DefaultClient() => (await _defaultClient.DeleteEntityAsync(Absent.PartitionKey, Absent.RowKey, ETag.All)).Status;

    [Benchmark(Description = "RefreshTokenStore.RevokeAsync")]
    public async Task<RevocationOutcome> Store() => await _store.RevokeAsync(Absent, CancellationToken.None);

    [GlobalCleanup]
    public async Task CleanupAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        _bare.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
