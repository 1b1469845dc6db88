using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace NoOpAspNetCoreFunction;

/// <summary>Answers 200 and does nothing else, on the logout route, so the same request reaches it.</summary>
public sealed class NoOp
{
    [Function("Logout")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequest request) => new OkResult();
}
