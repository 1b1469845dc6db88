using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Floors;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;

namespace VerifyAndLogFunction;

/// <summary>
/// Checks the bearer token's RS256 signature against the one PEM key in <c>Jwt__PublicKeys</c>,
/// writes one log entry and answers the logout's 200 with its headers and body. A validate-only
/// logout must do all of this and more (claims, body, content type), so this is a lower bound to
/// measure against, not a token validator. <c>VerifyAndLog__Parts</c>, a comma-separated list
/// of <c>signature</c>, <c>log</c> and <c>delete</c> (the first two when unset), keeps only the
/// parts named, so that each part can be measured alone beside the do-nothing function; with
/// <c>delete</c> it also sends the revoking logout's Table delete (<see cref="PreSignedTableDelete"/>),
/// a lower bound of a revoking logout.
/// </summary>
public sealed partial class VerifyAndLog(ILogger<VerifyAndLog> logger)
{
    private static readonly string[] Parts = ReadParts();
    private static readonly bool Logs = Parts.Contains("log");
    private static readonly bool Deletes = Parts.Contains("delete");

    // Not even loaded without the signature part: OpenSSL's share of memory belongs to it.
    private static readonly RSA? Key = Parts.Contains("signature") ? LoadKey() : null;
    private static readonly byte[] LoggedOut = """{"message":"Successfully logged out"}"""u8.ToArray();

    [Function("Logout")]
    public async Task<HttpResponseData> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "logout")] HttpRequestData request)
    {
        var started = TimeProvider.System.GetTimestamp();
        // The bench always sends a well-formed bearer token; anything else may fail here.
        var token = request.Headers.NonValidated.TryGetValues("Authorization", out var values) ? values.ToString()["Bearer ".Length..] : "";
        var signatureStart = token.LastIndexOf('.') + 1;
        var valid = Key is null || Key.VerifyData(
            Encoding.ASCII.GetBytes(token, 0, signatureStart - 1),
            Base64Url.DecodeFromChars(token.AsSpan(signatureStart)),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        if (!valid)
        {
            throw new InvalidOperationException("The bench's token did not verify.");
        }

        var elapsedMs = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        if (Logs)
        {
            SignatureChecked(logger, elapsedMs);
        }

        if (Deletes && !await PreSignedTableDelete.SendAsync(request).ConfigureAwait(false))
        {
            return request.CreateResponse(HttpStatusCode.ServiceUnavailable);
        }

        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Cache-Control", "no-store");
        await response.Body.WriteAsync(LoggedOut).ConfigureAwait(false);
        return response;
    }

    // A typo would otherwise measure a function doing neither part under the name of one.
    private static string[] ReadParts()
    {
        var parts = (Environment.GetEnvironmentVariable("VerifyAndLog__Parts") ?? "signature,log").Split(',', StringSplitOptions.TrimEntries);
        return parts.All(part => part is "signature" or "log" or "delete")
            ? parts
            : throw new InvalidOperationException("VerifyAndLog__Parts takes signature, log and delete, comma-separated.");
    }

    private static RSA LoadKey()
    {
        var key = RSA.Create();
        key.ImportFromPem(Environment.GetEnvironmentVariable("Jwt__PublicKeys") ?? throw new InvalidOperationException("Jwt__PublicKeys is not set."));
        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Logout signature checked in {ElapsedMs:F1} ms")]
    private static partial void SignatureChecked(ILogger logger, double elapsedMs);
}
