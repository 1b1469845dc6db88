using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.Logout;

/// <summary>Every way a logout ends; <see cref="LogoutOutcomes"/> gives each its answer and its log entry.</summary>
public enum LogoutOutcome
{
    Revoked,
    NothingToRevoke,

    /// <summary>The refresh token is gone: revoked by an earlier attempt whose answer was lost, or never there.</summary>
    RevokedOrAbsent,
    NoRefreshToken,
    TokenMissing,
    TokenInvalid,
    TokenExpired,

    /// <summary>The <c>scope</c> query parameter is not exactly one <c>local</c> or <c>global</c>.</summary>
    ScopeInvalid,

    /// <summary><c>scope=global</c> while <c>Logout__AllowGlobal</c> is off.</summary>
    GlobalNotEnabled,

    /// <summary>The request declared a body that did not arrive (see <see cref="LogoutRequest.BodyLost"/>).</summary>
    LengthRequired,
    UnsupportedMediaType,
    BodyTooLarge,
    BodyNotJsonObject,
    RefreshTokenInvalid,
    StoreUnavailable,

    /// <summary>The token's key may be the issuer's, and none of those is at hand: no verdict yet.</summary>
    KeysUnavailable,

    /// <summary>The invocation was cancelled (the host shutting down, or the caller gone) before the revocation finished.</summary>
    Cancelled,
    Failed,
}

/// <summary>What a 401 says in <c>WWW-Authenticate</c> (RFC 6750 section 3).</summary>
public enum Challenge
{
    None,

    /// <summary><c>Bearer</c>: no token was sent.</summary>
    Bearer,

    /// <summary><c>Bearer error="invalid_token", error_description="&lt;reason&gt;"</c>.</summary>
    InvalidToken,
}

/// <summary>One row of the contract table: the answer to an outcome, and how its log entry reads.</summary>
/// <param name="Body">The exact JSON body, UTF-8.</param>
/// <param name="RetryAfter">Whether the answer carries <c>Retry-After: 5</c>.</param>
/// <param name="LogOutcome">The entry's <c>Outcome</c>.</param>
/// <param name="LogReason">The entry's <c>Reason</c>; null: the token's refusal, if any.</param>
public sealed record OutcomeRow(int Status, byte[] Body, Challenge Challenge, bool RetryAfter, string LogOutcome, string? LogReason, LogLevel LogLevel);

/// <summary>The contract table (docs/contract.md), one row per outcome: the one place that says what each answers and logs.</summary>
public static class LogoutOutcomes
{
    public const int RetryAfterSeconds = 5;

    private static readonly byte[] LoggedOut = JsonSerializer.SerializeToUtf8Bytes(new { message = "Successfully logged out" });
    private static readonly byte[] Unauthorized = Error(401, "JWT Token not found");
    private static readonly byte[] Unavailable = Error(503, "Logout is temporarily unavailable, please retry");

    private const LogLevel Information = LogLevel.Information;

    private static readonly FrozenDictionary<LogoutOutcome, OutcomeRow> Rows = new Dictionary<LogoutOutcome, OutcomeRow>
    {
        [LogoutOutcome.Revoked] = new(200, LoggedOut, Challenge.None, false, "Revoked", null, Information),
        [LogoutOutcome.NothingToRevoke] = new(200, LoggedOut, Challenge.None, false, "NothingToRevoke", null, Information),
        [LogoutOutcome.RevokedOrAbsent] = new(200, LoggedOut, Challenge.None, false, "RevokedOrAbsent", null, Information),
        [LogoutOutcome.NoRefreshToken] = new(200, LoggedOut, Challenge.None, false, "NoRefreshToken", null, Information),
        [LogoutOutcome.TokenMissing] = new(401, Unauthorized, Challenge.Bearer, false, "Unauthorized", "No bearer token", Information),
        [LogoutOutcome.TokenInvalid] = new(401, Unauthorized, Challenge.InvalidToken, false, "Unauthorized", null, Information),
        [LogoutOutcome.TokenExpired] = new(401, Unauthorized, Challenge.InvalidToken, false, "Unauthorized", null, Information),
        [LogoutOutcome.ScopeInvalid] = new(400, Error(400, "scope must be local or global"), Challenge.None, false, "BadRequest", "ScopeInvalid", Information),
        [LogoutOutcome.GlobalNotEnabled] = new(400, Error(400, "scope global is not enabled"), Challenge.None, false, "BadRequest", "GlobalNotEnabled", Information),
        [LogoutOutcome.LengthRequired] = new(411, Error(411, "Content-Length required"), Challenge.None, false, "BadRequest", "LengthRequired", Information),
        [LogoutOutcome.UnsupportedMediaType] = new(415, Error(415, "Content-Type must be application/json"), Challenge.None, false, "BadRequest", "UnsupportedMediaType", Information),
        [LogoutOutcome.BodyTooLarge] = new(413, Error(413, "Request body too large"), Challenge.None, false, "BadRequest", "BodyTooLarge", Information),
        [LogoutOutcome.BodyNotJsonObject] = new(400, Error(400, "Request body must be a JSON object"), Challenge.None, false, "BadRequest", "BodyNotJsonObject", Information),
        [LogoutOutcome.RefreshTokenInvalid] = new(400, Error(400, $"refresh_token must be a string of at most {RefreshTokenBody.MaxRefreshTokenLength} characters"), Challenge.None, false, "BadRequest", "RefreshTokenInvalid", Information),
        // The store logs the cause beside it (a missing table as an Error).
        [LogoutOutcome.StoreUnavailable] = new(503, Unavailable, Challenge.None, true, "StoreUnavailable", null, LogLevel.Warning),
        // A 401 would tell the client its token is bad; the operator has an issuer to fix.
        [LogoutOutcome.KeysUnavailable] = new(503, Unavailable, Challenge.None, true, "KeysUnavailable", null, LogLevel.Error),
        // The host draining or the caller gone: "retry" is right for whoever still listens.
        [LogoutOutcome.Cancelled] = new(503, Unavailable, Challenge.None, true, "Cancelled", null, Information),
        [LogoutOutcome.Failed] = new(500, Error(500, "Internal server error"), Challenge.None, false, "Failed", null, LogLevel.Error),
    }.ToFrozenDictionary();

    public static OutcomeRow Row(this LogoutOutcome outcome) => Rows[outcome];

    private static byte[] Error(int code, string message) => JsonSerializer.SerializeToUtf8Bytes(new { code, message });
}
