using LogoutFunction.Logout;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace LogoutFunction.Http;

/// <summary><c>POST /api/logout</c>: translates HTTP to a <see cref="LogoutRequest"/> and the result back.</summary>
public sealed class LogoutEndpoint(LogoutHandler handler)
{
    // Anonymous: the bearer JWT is the authentication, not a function key.
    [Function("Logout")]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var logoutRequest = new LogoutRequest(
            HeaderValue(request, "Authorization"),
            HeaderValue(request, "Content-Type"),
            await ReadBodyAsync(request.Body, cancellationToken).ConfigureAwait(false));
        var result = await handler.HandleAsync(logoutRequest, cancellationToken).ConfigureAwait(false);
        return await LogoutResponse.WriteAsync(request, result).ConfigureAwait(false);
    }

    private static string? HeaderValue(HttpRequestData request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(',', values) : null;

    /// <summary>Reads one byte past the limit at most, so an oversized body costs no more than that.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        // The worker hands over the body already in memory, so its length is known and a
        // typical empty or small body needs no 64 KiB buffer.
        var limit = LogoutRequest.MaxBodyBytes + 1;
        var buffer = new byte[body.CanSeek ? (int)Math.Min(body.Length - body.Position, limit) : limit];
        var length = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return buffer.AsMemory(0, length);
    }
}
