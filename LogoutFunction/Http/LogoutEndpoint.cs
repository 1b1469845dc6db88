using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using LogoutFunction.Logout;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LogoutFunction.Http;

/// <summary><c>POST /api/logout</c>: translates HTTP to a <see cref="LogoutRequest"/> and the result back.</summary>
public sealed class LogoutEndpoint(LogoutHandler handler)
{
    // Anonymous: the bearer JWT is the authentication, not a function key.
    [Function("Logout")]
    public async Task<HttpResponseData> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequestData request)
    {
        // The invocation's token, as a CancellationToken parameter would get it, without the
        // worker trying every input converter for that parameter on each request (measured:
        // docs/performance.md).
        var cancellationToken = request.FunctionContext.CancellationToken;
        // Raw values: the validated view re-renders Authorization through AuthenticationHeaderValue,
        // which turns "Bearer<TAB>token" into "Bearer token" and so hides what was really sent.
        var headers = request.Headers.NonValidated;
        var body = await ReadBodyAsync(request.Body, cancellationToken).ConfigureAwait(false);
        var logoutRequest = new LogoutRequest(HeaderValue(headers, "Authorization"), HeaderValue(headers, "Content-Type"), body.Bytes)
        {
            BodyLost = DeclaresMissingBody(headers, body),
            Scope = QueryValues(request.Url, LogoutScopes.ParameterName),
        };
        var result = await handler.HandleAsync(logoutRequest, cancellationToken).ConfigureAwait(false);
        return await AnswerAsync(request, result).ConfigureAwait(false);
    }

    /// <summary>The outcome's row of the contract table, as HTTP: every answer JSON and never cached.</summary>
    private static async Task<HttpResponseData> AnswerAsync(HttpRequestData request, LogoutResult result)
    {
        var row = result.Outcome.Row();
        var response = request.CreateResponse((HttpStatusCode)row.Status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Cache-Control", "no-store");
        switch (row.Challenge)
        {
            case Challenge.Bearer:
                response.Headers.Add("WWW-Authenticate", "Bearer");
                break;
            case Challenge.InvalidToken:
                // RFC 6750 section 3; reasons are fixed phrases without quotes or backslashes.
                response.Headers.Add("WWW-Authenticate", $"Bearer error=\"invalid_token\", error_description=\"{result.Reason}\"");
                break;
        }

        if (row.RetryAfter)
        {
            response.Headers.Add("Retry-After", LogoutOutcomes.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
        }

        // Not cancellable on purpose: a cancelled invocation still gets its answer written.
        await response.Body.WriteAsync(row.Body).ConfigureAwait(false);
        return response;
    }

    /// <summary>
    /// Every value of one query parameter, decoded (<c>+</c> as a space, as forms encode it). Read
    /// from the URL the host forwards rather than the worker's parsed <c>Query</c>, which matches
    /// names in any case and so would take <c>Scope=global</c> for <c>scope=global</c>.
    /// </summary>
    private static string[] QueryValues(Uri url, string name)
    {
        var values = new List<string>();
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = separator < 0 ? (pair, "") : (pair[..separator], pair[(separator + 1)..]);
            if (Decode(key) == name)
            {
                values.Add(Decode(value));
            }
        }

        return [.. values];

        static string Decode(string component) => Uri.UnescapeDataString(component.Replace('+', ' '));
    }

    private static string? HeaderValue(HttpHeadersNonValidated headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.ToString() : null;

    /// <summary>
    /// True when the headers announce a body that is not what arrived. The host forwards a body
    /// only with a Content-Length above zero, so a chunked one (<c>Transfer-Encoding</c>) reaches
    /// the worker empty while its headers still arrive.
    /// </summary>
    private static bool DeclaresMissingBody(HttpHeadersNonValidated headers, ReceivedBody body)
    {
        if (headers.Contains("Transfer-Encoding"))
        {
            return true;
        }

        if (!headers.TryGetValues("Content-Length", out var values))
        {
            return false;
        }

        if (!long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var declared))
        {
            return true;
        }

        // A body read only up to the limit is longer than that; past it, it is refused as too large.
        return body.Complete ? declared != body.Length : declared <= LogoutRequest.MaxBodyBytes;
    }

    /// <summary>
    /// Copies at most one byte past the limit into the request. This bounds the copy, not what the
    /// request costs: the host has already buffered the whole body before the function runs (up to
    /// its <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c>, which infra/ sets just above 64 KiB).
    /// </summary>
    private static async Task<ReceivedBody> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        // The worker hands over the body already in memory, so its length is known and a
        // typical empty or small body needs no 64 KiB buffer.
        var limit = LogoutRequest.MaxBodyBytes + 1;
        var length = body.CanSeek ? body.Length - body.Position : (long?)null;
        var buffer = new byte[length is { } known ? (int)Math.Min(known, limit) : limit];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return new ReceivedBody(buffer.AsMemory(0, read), length ?? read, Complete: length is not null || read < limit);
    }

    /// <param name="Bytes">What the function looks at: at most one byte past the limit.</param>
    /// <param name="Length">The whole body's length when <paramref name="Complete"/>, else the bytes read.</param>
    /// <param name="Complete">Whether <paramref name="Length"/> is the whole body's.</param>
    private readonly record struct ReceivedBody(ReadOnlyMemory<byte> Bytes, long Length, bool Complete);
}
