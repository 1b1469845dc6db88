using static LogoutFunction.Tests.Contract.ContractRequest;

namespace LogoutFunction.Tests.Contract;

/// <summary>
/// The contract table of docs/contract.md as requests and their exact answers: one list that the
/// endpoint tests (in process) and the end-to-end tests (over HTTP, through the worker) both run.
/// Rows 8 and 9 need a broken store and have tests of their own.
/// </summary>
public static class ContractCases
{
    private const string SomeRefreshToken = """{"refresh_token":"r"}""";

    private static readonly ContractAnswer Expired = ContractAnswer.InvalidToken("The token expired");

    public static IReadOnlyList<ContractCase> All { get; } =
    [
        // Row 1: no bearer token.
        new("no Authorization header", new() { Authorization = _ => null, Body = Text(SomeRefreshToken) }, ContractAnswer.NoToken),
        new("an empty Authorization header", new() { Authorization = _ => "", Body = Text(SomeRefreshToken) }, ContractAnswer.NoToken),
        new("the Basic scheme", new() { Authorization = _ => "Basic YWxpY2U6c2VjcmV0", Body = Text(SomeRefreshToken) }, ContractAnswer.NoToken),
        new("the Bearer scheme without a token", new() { Authorization = _ => "Bearer", Body = Text(SomeRefreshToken) }, ContractAnswer.NoToken),
        new("the Bearer scheme and spaces only", new() { Authorization = _ => "Bearer    " }, ContractAnswer.NoToken),
        new("Bearer glued to the token", new() { Authorization = key => "Bearer" + TestTokens.Create(key) }, ContractAnswer.NoToken),
        new("a tab instead of a space after Bearer", new() { Authorization = key => "Bearer\t" + TestTokens.Create(key) }, ContractAnswer.NoToken),

        // Rows 2 and 3: a token that is not valid, or expired.
        new("a token that is not a JWT", new() { Authorization = _ => Bearer("garbage") }, ContractAnswer.InvalidToken("The token is malformed")),
        new("alg none", new() { Authorization = _ => Bearer(TestTokens.CreateUnsigned()) }, ContractAnswer.InvalidToken("The signing algorithm is not allowed")),
        new("HS256 keyed with the public key", new() { Authorization = key => Bearer(TestTokens.SignedWithPublicKeyAsHmacSecret(key)) }, ContractAnswer.InvalidToken("The signing algorithm is not allowed")),
        new("a token signed by another key", new() { Authorization = _ => Bearer(TestTokens.Create(TestKey.Rsa(), kid: "")) }, ContractAnswer.InvalidToken("The signature is invalid")),
        new("a token naming an unknown kid", new() { Authorization = key => Bearer(TestTokens.Create(key, kid: "unknown")) }, ContractAnswer.InvalidToken("The signing key is unknown")),
        new("a token without exp", new() { Authorization = key => Bearer(TestTokens.Create(key, withExpiry: false)) }, ContractAnswer.InvalidToken("The token has no expiry")),
        new("a token without a user id", new() { Authorization = key => Bearer(TestTokens.Create(key, user: "")) }, ContractAnswer.InvalidToken("The token has no user id")),
        new("a token not valid yet", new() { Authorization = key => Bearer(TestTokens.Create(key, notBefore: DateTime.UtcNow.AddMinutes(10))) }, ContractAnswer.InvalidToken("The token is not valid yet")),
        new("a token over 8 KiB", new() { Authorization = key => Bearer(TestTokens.Create(key, extraClaims: new Dictionary<string, object> { ["pad"] = new string('x', 9000) })) }, ContractAnswer.InvalidToken("The token is too large")),

        // Row 3: an expired token, when it has nothing to revoke or expired beyond the grace
        // (Jwt__ExpiredTokenGraceDays, 30 by default); one that is also wrong otherwise gets row 2.
        new("an expired token without a body", new() { Authorization = key => Bearer(TestTokens.Expired(key, Minutes(5))) }, Expired),
        new("an expired token with an empty object", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = Text("{}") }, Expired),
        new("an expired token with a null refresh_token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = Text("{\"refresh_token\":null}") }, Expired),
        new("an expired token with unknown fields only", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = Text("{\"client\":\"ios\"}") }, Expired),
        new("a token expired 31 days ago with its user's refresh token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Days(31))), RefreshTokenOf = "alice" }, Expired, SeededTokenRemains: true),
        new("a token with exp at the epoch and its user's refresh token", new() { Authorization = key => Bearer(TestTokens.Create(key, expires: DateTime.UnixEpoch, notBefore: DateTime.UnixEpoch.AddHours(-1), issuedAt: DateTime.UnixEpoch.AddHours(-1))), RefreshTokenOf = "alice" }, Expired, SeededTokenRemains: true),
        new("an expired token with an altered signature", new() { Authorization = key => Bearer(TestTokens.WithAlteredSignature(TestTokens.Expired(key, Hours(2)))), RefreshTokenOf = "alice" }, ContractAnswer.InvalidToken("The signature is invalid"), SeededTokenRemains: true),
        new("an expired token naming an unknown kid", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2), kid: "unknown")), RefreshTokenOf = "alice" }, ContractAnswer.InvalidToken("The signing key is unknown"), SeededTokenRemains: true),
        new("an expired token with alg none", new() { Authorization = _ => Bearer(TestTokens.CreateUnsigned(expires: DateTime.UtcNow.AddHours(-2))), RefreshTokenOf = "alice" }, ContractAnswer.InvalidToken("The signing algorithm is not allowed"), SeededTokenRemains: true),
        new("an expired token with a crit header", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2), extraHeaders: new Dictionary<string, object> { ["crit"] = new[] { "exp" } })), RefreshTokenOf = "alice" }, ContractAnswer.InvalidToken("The token uses an unsupported critical header"), SeededTokenRemains: true),
        new("an expired token without a user id", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2), user: "")), RefreshTokenOf = "alice" }, ContractAnswer.InvalidToken("The token has no user id"), SeededTokenRemains: true),

        // Rows 3a and 3b: the scope, after the token and before the body. Global logout is off in
        // these apps (Logout__AllowGlobal); GlobalLogoutOverHttpTests turns it on.
        new("scope=others", new() { Query = "?scope=others", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("an empty scope", new() { Query = "?scope=", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("scope without a value", new() { Query = "?scope", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("two scope parameters", new() { Query = "?scope=local&scope=local", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("scope in upper case", new() { Query = "?scope=GLOBAL", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("a percent-encoded scope=others", new() { Query = "?sc%6Fpe=oth%65rs", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("scope=others without a token", new() { Authorization = _ => null, Query = "?scope=others", Body = Text(SomeRefreshToken) }, ContractAnswer.NoToken),
        new("scope=others with an invalid token", new() { Authorization = _ => Bearer("garbage"), Query = "?scope=others" }, ContractAnswer.InvalidToken("The token is malformed")),
        new("scope=others with a body that is not JSON", new() { Query = "?scope=others", Body = Text("not json") }, ContractAnswer.ScopeInvalid),
        new("scope=others with an expired token and its user's refresh token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Query = "?scope=others", RefreshTokenOf = "alice" }, ContractAnswer.ScopeInvalid, SeededTokenRemains: true),
        new("scope=global while global logout is off", new() { Query = "?scope=global", RefreshTokenOf = "alice" }, ContractAnswer.GlobalNotEnabled, SeededTokenRemains: true),
        new("scope=global while off, with a chunked body", new() { Query = "?scope=global", Chunked = true, RefreshTokenOf = "alice" }, ContractAnswer.GlobalNotEnabled, SeededTokenRemains: true),
        new("scope=global with an expired token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Query = "?scope=global", RefreshTokenOf = "alice" }, Expired, SeededTokenRemains: true),

        // Row 3c: a body was declared and did not arrive; never a 200 while the token stays.
        new("a chunked body", new() { Chunked = true, RefreshTokenOf = "alice" }, ContractAnswer.LengthRequired, SeededTokenRemains: true),
        new("a chunked body without a token", new() { Authorization = _ => null, Chunked = true, Body = Text(SomeRefreshToken) }, ContractAnswer.NoToken),

        new("an expired token with a chunked body", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Chunked = true, RefreshTokenOf = "alice" }, ContractAnswer.LengthRequired, SeededTokenRemains: true),

        // Row 4: a body not declared as JSON.
        new("a body without Content-Type", new() { ContentType = null, Body = Text(SomeRefreshToken) }, ContractAnswer.UnsupportedMediaType),
        new("a text/plain body", new() { ContentType = "text/plain", Body = Text(SomeRefreshToken) }, ContractAnswer.UnsupportedMediaType),
        new("a form body", new() { ContentType = "application/x-www-form-urlencoded", Body = Text("refresh_token=r") }, ContractAnswer.UnsupportedMediaType),
        new("an application/jsonx body", new() { ContentType = "application/jsonx", Body = Text(SomeRefreshToken) }, ContractAnswer.UnsupportedMediaType),
        new("an expired token with a text/plain body", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), ContentType = "text/plain", Body = Text(SomeRefreshToken) }, ContractAnswer.UnsupportedMediaType),
        new("a text/plain body without a token", new() { Authorization = _ => null, ContentType = "text/plain", Body = Text("x") }, ContractAnswer.NoToken),

        // Row 5: a body over 64 KiB.
        new("a body of 64 KiB and one byte", new() { Body = PaddedObject((64 * 1024) + 1) }, ContractAnswer.BodyTooLarge),
        new("an expired token with a body over 64 KiB", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = PaddedObject((64 * 1024) + 1) }, ContractAnswer.BodyTooLarge),

        // Row 6: not a UTF-8 JSON object.
        new("a body that is not JSON", new() { Body = Text("not json") }, ContractAnswer.NotJsonObject),
        new("a JSON array", new() { Body = Text("[1,2]") }, ContractAnswer.NotJsonObject),
        new("a JSON string", new() { Body = Text("\"refresh\"") }, ContractAnswer.NotJsonObject),
        new("a truncated JSON object", new() { Body = Text("{\"refresh_token\":\"a\"") }, ContractAnswer.NotJsonObject),
        new("a duplicated refresh_token", new() { Body = Text("{\"refresh_token\":\"a\",\"refresh_token\":\"b\"}") }, ContractAnswer.NotJsonObject),
        new("a body of one space", new() { Body = Text(" ") }, ContractAnswer.NotJsonObject),
        new("a name with a lone surrogate", new() { Body = Text("{\"\\ud800\":1,\"refresh_token\":\"x\"}") }, ContractAnswer.NotJsonObject),
        new("an expired token with a body that is not JSON", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = Text("not json") }, ContractAnswer.NotJsonObject),
        new("invalid UTF-8", new() { Body = [.. "{\"refresh_token\":\""u8, 0xC3, 0x28, .. "\"}"u8] }, ContractAnswer.NotJsonObject),

        // Row 7: a refresh_token that is not a string of at most 4096 characters.
        new("a numeric refresh_token", new() { Body = Text("{\"refresh_token\":42}") }, ContractAnswer.BadRefreshToken),
        new("a boolean refresh_token", new() { Body = Text("{\"refresh_token\":true}") }, ContractAnswer.BadRefreshToken),
        new("an object refresh_token", new() { Body = Text("{\"refresh_token\":{\"a\":1}}") }, ContractAnswer.BadRefreshToken),
        new("an array refresh_token", new() { Body = Text("{\"refresh_token\":[\"a\"]}") }, ContractAnswer.BadRefreshToken),
        new("a refresh_token with a lone surrogate", new() { Body = Text("{\"refresh_token\":\"\\ud800\"}") }, ContractAnswer.BadRefreshToken),
        new("an expired token with a numeric refresh_token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = Text("{\"refresh_token\":42}") }, ContractAnswer.BadRefreshToken),
        new("a refresh_token of 4097 characters", new() { Body = Text($$"""{"refresh_token":"{{new string('r', 4097)}}"}""") }, ContractAnswer.BadRefreshToken),

        // 200: revoked, or nothing to revoke.
        new("the caller's own refresh token", new() { RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
        new("someone else's refresh token", new() { RefreshTokenOf = "bob" }, ContractAnswer.LoggedOut, SeededTokenRemains: true),
        new("a token expired 2 hours ago with its user's refresh token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
        new("a token expired 29 days ago with its user's refresh token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Days(29))), RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
        new("an expired token with someone else's refresh token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), RefreshTokenOf = "bob" }, ContractAnswer.LoggedOut, SeededTokenRemains: true),
        new("an expired token with a refresh token never issued", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Body = Text("{\"refresh_token\":\"never-issued\"}") }, ContractAnswer.LoggedOut),
        new("no body", new(), ContractAnswer.LoggedOut),
        new("an empty object", new() { Body = Text("{}") }, ContractAnswer.LoggedOut),
        new("a null refresh_token", new() { Body = Text("{\"refresh_token\":null}") }, ContractAnswer.LoggedOut),
        new("a refresh token never issued", new() { Body = Text("{\"refresh_token\":\"never-issued\"}") }, ContractAnswer.LoggedOut),
        new("unknown fields only", new() { Body = Text("{\"client\":\"ios\",\"extra\":[1,{\"x\":null}]}") }, ContractAnswer.LoggedOut),
        new("a refresh_token of 4096 characters", new() { Body = Text($$"""{"refresh_token":"{{new string('r', 4096)}}"}""") }, ContractAnswer.LoggedOut),
        new("a body of exactly 64 KiB", new() { Body = PaddedObject(64 * 1024) }, ContractAnswer.LoggedOut),
        new("the scheme in lower case", new() { Authorization = key => "bearer " + TestTokens.Create(key) }, ContractAnswer.LoggedOut),
        new("the scheme in upper case", new() { Authorization = key => "BEARER " + TestTokens.Create(key) }, ContractAnswer.LoggedOut),
        new("two spaces after Bearer", new() { Authorization = key => "Bearer  " + TestTokens.Create(key) }, ContractAnswer.LoggedOut),
        new("JSON with a charset", new() { ContentType = "application/json; charset=utf-8", Body = Text(SomeRefreshToken) }, ContractAnswer.LoggedOut),
        new("JSON in mixed case", new() { ContentType = "Application/JSON", Body = Text(SomeRefreshToken) }, ContractAnswer.LoggedOut),
        new("scope=local", new() { Query = "?scope=local", RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
        new("scope=local beside other parameters", new() { Query = "?client=ios&scope=local&x", RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
        new("a Scope parameter, another name than scope", new() { Query = "?Scope=global", RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
        new("scope=local with an expired token and its user's refresh token", new() { Authorization = key => Bearer(TestTokens.Expired(key, Hours(2))), Query = "?scope=local", RefreshTokenOf = "alice" }, ContractAnswer.LoggedOut, SeededTokenRemains: false),
    ];

    /// <summary>Every case's name, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    public static ContractCase Named(string name) => All.Single(c => c.Name == name);

    private static TimeSpan Minutes(int minutes) => TimeSpan.FromMinutes(minutes);

    private static TimeSpan Hours(int hours) => TimeSpan.FromHours(hours);

    private static TimeSpan Days(int days) => TimeSpan.FromDays(days);

    /// <summary>A JSON object of exactly <paramref name="bytes"/> UTF-8 bytes: a refresh token and padding.</summary>
    private static byte[] PaddedObject(int bytes)
    {
        const string Prefix = """{"refresh_token":"r","pad":""";
        return Text(Prefix + "\"" + new string('x', bytes - Prefix.Length - 3) + "\"}");
    }
}
