using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace NoOpFunction;

/// <summary>Answers 200 and does nothing else, on the logout route, so the same request reaches it.</summary>
public sealed class NoOp
{
    [Function("Logout")]
    public static HttpResponseData Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequestData request) =>
        request.CreateResponse(HttpStatusCode.OK);
}
