using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;

namespace LogoutFunction.Auth;

/// <summary>
/// Fetches the issuer's discovery and key documents for IdentityModel's configuration manager:
/// each one the issuer's own answer (a redirect is not followed: it would let whoever controls
/// its target choose the keys) of at most 1 MiB (real ones are a few KiB), within
/// <see cref="FetchTimeout"/>. Every failed fetch is logged with its reason, since the manager
/// keeps the last keys quietly and an operator needs to know the issuer cannot be reached.
/// Only https addresses are fetched (plain http on a loopback address, for tests).
/// </summary>
internal sealed partial class IssuerDocumentRetriever(ILogger logger) : IDocumentRetriever, IDisposable
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>One attempt at one document.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = FetchTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        AllowAutoRedirect = false,
    })
    {
        Timeout = FetchTimeout,
        MaxResponseContentBufferSize = MaxBytes,
    };

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        try
        {
            // The discovery document names where its keys are, so this holds for that address too.
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                throw new IssuerDocumentException("it is not an https address");
            }

            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw new IssuerDocumentException($"it answered {status}, a redirect, which is not followed");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new IssuerDocumentException($"it answered {status}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw new IssuerDocumentException("its answer is larger than 1 MiB");
            }

            // Read bounded whatever the framing: a chunked answer declares no length.
            var body = new byte[MaxBytes + 1];
            await using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            var read = await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancel).ConfigureAwait(false);
            return read > MaxBytes
                ? throw new IssuerDocumentException("its answer is larger than 1 MiB")
                : System.Text.Encoding.UTF8.GetString(body, 0, read);
        }
        catch (Exception e)
        {
            LogFailed(logger, address, e is IssuerDocumentException refused ? refused.Message : e.GetType().Name);
            throw new IOException($"The document at {address} could not be fetched.", e);
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing keys could not be fetched from {Address} ({Failure}); the keys fetched before stay in use, and without any, tokens that need them are answered 503")]
    private static partial void LogFailed(ILogger logger, string address, string failure);

    /// <summary>The issuer's answer is not a document to use; the message says why, for the log entry.</summary>
    private sealed class IssuerDocumentException(string reason) : Exception(reason);
}
