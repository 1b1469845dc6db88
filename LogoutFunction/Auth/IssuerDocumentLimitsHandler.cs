using System.Net.Http.Headers;

namespace LogoutFunction.Auth;

/// <summary>
/// What an issuer's discovery or key document may be: its own answer (a redirect is not followed:
/// it would let whoever controls the target choose the keys) of at most <see cref="MaxBytes"/>
/// (real ones are a few KiB). Anything else is a failed fetch, with its reason.
/// </summary>
internal sealed class IssuerDocumentLimitsHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const int MaxBytes = 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw new RefusedException($"it answered {status}, a redirect, which is not followed");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                throw new RefusedException("its answer is larger than 1 MiB");
            }

            // Read here, bounded, whatever the framing: a chunked answer declares no length.
            var body = new byte[MaxBytes + 1];
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var read = await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read > MaxBytes)
            {
                throw new RefusedException("its answer is larger than 1 MiB");
            }

            var bounded = new ByteArrayContent(body, 0, read);
            CopyHeaders(response.Content.Headers, bounded.Headers);
            response.Content = bounded;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void CopyHeaders(HttpContentHeaders from, HttpContentHeaders to)
    {
        foreach (var (name, values) in from)
        {
            to.TryAddWithoutValidation(name, values);
        }
    }

    /// <summary>The issuer's answer broke a limit; the message says which, for the failed-fetch log entry.</summary>
    internal sealed class RefusedException(string reason) : Exception(reason);
}
