using System.Net;
using Floors;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace TableDeleteFunction;

/// <summary>
/// Sends the logout's Table delete (<see cref="PreSignedTableDelete"/>) and answers 200 when the
/// store did: the store round trip of a logout, and nothing else.
/// </summary>
public sealed class TableDelete
{
    [Function("Logout")]
    public static async Task<HttpResponseData> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequestData request) =>
        request.CreateResponse(await PreSignedTableDelete.SendAsync(request).ConfigureAwait(false) ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable);
}
