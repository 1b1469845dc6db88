using System.Net;
using System.Text.Json;
using LogoutFunction.Logout;
using Microsoft.Azure.Functions.Worker.Http;

namespace LogoutFunction.Http;

/// <summary>The contract table of DESIGN section 2, from outcome to status, headers and JSON body.</summary>
public static class LogoutResponse
{
    private const string RetryAfterSeconds = "5";

    private static readonly byte[] Unauthorized = Error(401, "JWT Token not found");
    private static readonly byte[] LengthRequired = Error(411, "Content-Length required");
    private static readonly byte[] UnsupportedMediaType = Error(415, "Content-Type must be application/json");
    private static readonly byte[] TooLarge = Error(413, "Request body too large");
    private static readonly byte[] NotJsonObject = Error(400, "Request body must be a JSON object");
    private static readonly byte[] BadRefreshToken = Error(400, $"refresh_token must be a string of at most {RefreshTokenBody.MaxRefreshTokenLength} characters");
    private static readonly byte[] Unavailable = Error(503, "Logout is temporarily unavailable, please retry");
    private static readonly byte[] InternalError = Error(500, "Internal server error");
    private static readonly byte[] LoggedOut = JsonSerializer.SerializeToUtf8Bytes(new { message = "Successfully logged out" });

    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, LogoutResult result)
    {
        var (status, body) = result.Outcome switch
        {
            LogoutOutcome.Revoked or LogoutOutcome.NothingToRevoke or LogoutOutcome.RevokedOrAbsent or LogoutOutcome.NoRefreshToken => (HttpStatusCode.OK, LoggedOut),
            LogoutOutcome.TokenMissing or LogoutOutcome.TokenInvalid or LogoutOutcome.TokenExpired => (HttpStatusCode.Unauthorized, Unauthorized),
            LogoutOutcome.LengthRequired => (HttpStatusCode.LengthRequired, LengthRequired),
            LogoutOutcome.UnsupportedMediaType => (HttpStatusCode.UnsupportedMediaType, UnsupportedMediaType),
            LogoutOutcome.BodyTooLarge => (HttpStatusCode.RequestEntityTooLarge, TooLarge),
            LogoutOutcome.BodyNotJsonObject => (HttpStatusCode.BadRequest, NotJsonObject),
            LogoutOutcome.RefreshTokenInvalid => (HttpStatusCode.BadRequest, BadRefreshToken),
            // A cancelled invocation is the host draining or the caller gone: "retry" is right for whoever still listens.
            LogoutOutcome.StoreUnavailable or LogoutOutcome.KeysUnavailable or LogoutOutcome.Cancelled => (HttpStatusCode.ServiceUnavailable, Unavailable),
            _ => (HttpStatusCode.InternalServerError, InternalError),
        };

        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Cache-Control", "no-store");
        switch (result.Outcome)
        {
            case LogoutOutcome.TokenMissing:
                response.Headers.Add("WWW-Authenticate", "Bearer");
                break;
            case LogoutOutcome.TokenInvalid or LogoutOutcome.TokenExpired:
                // RFC 6750 section 3; reasons are fixed phrases without quotes or backslashes.
                response.Headers.Add("WWW-Authenticate", $"Bearer error=\"invalid_token\", error_description=\"{result.Reason}\"");
                break;
            case LogoutOutcome.StoreUnavailable or LogoutOutcome.KeysUnavailable or LogoutOutcome.Cancelled:
                response.Headers.Add("Retry-After", RetryAfterSeconds);
                break;
        }

        // Not cancellable on purpose: a cancelled invocation still gets its answer written.
        await response.Body.WriteAsync(body).ConfigureAwait(false);
        return response;
    }

    private static byte[] Error(int code, string message) => JsonSerializer.SerializeToUtf8Bytes(new { code, message });
}
