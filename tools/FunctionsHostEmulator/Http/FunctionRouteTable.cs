using FunctionsHostEmulator.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// Maps requests to HTTP-triggered functions like the host's WebJobs router: one ASP.NET Core
/// <see cref="Route"/> per function with template "{routePrefix}/{route}" and an
/// <see cref="HttpMethodRouteConstraint"/> for its methods. A method the function does not accept
/// therefore makes the route not match at all, and the request ends as a 404, as under the host.
/// </summary>
internal sealed class FunctionRouteTable
{
    private const string FunctionNameToken = "AZUREWEBJOBS_FUNCTIONNAME";
    private static readonly IRouter NoOpTarget = new RouteHandler(_ => Task.CompletedTask);

    private volatile RouteCollection? _routes;
    private Dictionary<string, HostedFunction> _functions = [];

    public static string BuildTemplate(string routePrefix, string route) =>
        string.IsNullOrEmpty(routePrefix) ? route : routePrefix + "/" + route;

    /// <summary>Publishes the routes; requests before this see none.</summary>
    public void Publish(IEnumerable<HostedFunction> functions, string routePrefix, IInlineConstraintResolver constraintResolver)
    {
        var routes = new RouteCollection();
        var byName = new Dictionary<string, HostedFunction>(StringComparer.Ordinal);
        foreach (var function in functions.Where(f => f.IsHttpTriggered))
        {
            byName[function.Name] = function;
            var constraints = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (function.Methods.Count > 0)
            {
                constraints["httpMethod"] = new HttpMethodRouteConstraint([.. function.Methods]);
            }

            routes.Add(new Route(
                NoOpTarget,
                function.Name,
                BuildTemplate(routePrefix, function.Route!),
                defaults: null,
                constraints,
                new RouteValueDictionary { [FunctionNameToken] = function.Name },
                constraintResolver));
        }

        _functions = byName;
        _routes = routes;
    }

    /// <summary>The function the request is for and its route values; null when no route matches.</summary>
    public async Task<(HostedFunction Function, RouteValueDictionary Values)?> MatchAsync(HttpContext context)
    {
        var routes = _routes;
        if (routes is null)
        {
            return null;
        }

        var routeContext = new RouteContext(context);
        routeContext.RouteData.Routers.Add(routes);
        await routes.RouteAsync(routeContext).ConfigureAwait(false);
        if (routeContext.Handler is null
            || routeContext.RouteData.DataTokens[FunctionNameToken] is not string name
            || !_functions.TryGetValue(name, out var function))
        {
            return null;
        }

        return (function, routeContext.RouteData.Values);
    }
}
