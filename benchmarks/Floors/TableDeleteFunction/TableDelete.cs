using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace TableDeleteFunction;

/// <summary>
/// Deletes the entity named by <c>?pk=</c> and <c>&amp;rk=</c> with one conditional DELETE to the
/// pre-signed table URL in the <c>TableSasUri</c> setting, and answers 200 when the store did:
/// the store round trip of a logout, and nothing else.
/// </summary>
public sealed class TableDelete
{
    private static readonly HttpClient Client = new();
    private static readonly Uri Table = new(Environment.GetEnvironmentVariable("TableSasUri") ?? throw new InvalidOperationException("TableSasUri is not set."));

    [Function("Logout")]
    public static async Task<HttpResponseData> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequestData request)
    {
        var entity = new UriBuilder(Table) { Path = $"{Table.AbsolutePath}(PartitionKey='{request.Query["pk"]}',RowKey='{request.Query["rk"]}')" }.Uri;
        using var delete = new HttpRequestMessage(HttpMethod.Delete, entity);
        delete.Headers.TryAddWithoutValidation("If-Match", "*");
        delete.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        delete.Headers.TryAddWithoutValidation("Accept", "application/json;odata=nometadata");
        using var answer = await Client.SendAsync(delete).ConfigureAwait(false);
        return request.CreateResponse(answer.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
    }
}
