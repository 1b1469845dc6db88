using LogoutFunction.Http;

namespace LogoutFunction.Tests.Http;

/// <summary>One call of <see cref="LogoutEndpoint"/>, the class the worker invokes, and its answer as the client would see it.</summary>
public sealed record EndpointCall(HttpStatusCode Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public void AssertIs(ContractAnswer expected) => expected.AssertMatches(Status, Body, Header);

    public static Task<EndpointCall> SendAsync(AppHost services, byte[] body, params (string Name, string Value)[] headers) =>
        SendAsync(services, query: "", body, headers);

    /// <param name="query">The query string, with its <c>?</c>.</param>
    public static async Task<EndpointCall> SendAsync(AppHost services, string query, byte[] body, params (string Name, string Value)[] headers)
    {
        var endpoint = ActivatorUtilities.CreateInstance<LogoutEndpoint>(services.Provider);
        var response = await endpoint.RunAsync(new TestHttpRequest(body, headers) { QueryString = query });
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body, Encoding.UTF8).ReadToEndAsync();
        var responseHeaders = response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new EndpointCall(response.StatusCode, text, responseHeaders);
    }
}
