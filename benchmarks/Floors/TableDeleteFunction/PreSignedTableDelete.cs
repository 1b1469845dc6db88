using System.Net;
using Microsoft.Azure.Functions.Worker.Http;

namespace Floors;

/// <summary>
/// The logout's Table delete and nothing else: one conditional DELETE of the entity named by
/// <c>?pk=</c> and <c>&amp;rk=</c>, with a bare HttpClient, to the pre-signed table URL in the
/// <c>TableSasUri</c> setting. Shared by source with the verify-log-delete floor.
/// </summary>
internal static class PreSignedTableDelete
{
    private static readonly HttpClient Client = new();
    private static readonly Lazy<Uri> Table = new(() => new Uri(Environment.GetEnvironmentVariable("TableSasUri") ?? throw new InvalidOperationException("TableSasUri is not set.")));

    /// <summary>True when the store deleted the entity or had none (204 or 404), as a logout counts it.</summary>
    public static async Task<bool> SendAsync(HttpRequestData request)
    {
        var table = Table.Value;
        var entity = new UriBuilder(table) { Path = $"{table.AbsolutePath}(PartitionKey='{request.Query["pk"]}',RowKey='{request.Query["rk"]}')" }.Uri;
        using var delete = new HttpRequestMessage(HttpMethod.Delete, entity);
        delete.Headers.TryAddWithoutValidation("If-Match", "*");
        delete.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        delete.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
        using var answer = await Client.SendAsync(delete).ConfigureAwait(false);
        return answer.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound;
    }
}
