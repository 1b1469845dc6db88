using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using static LogoutFunction.Tests.Contract.AdversarialSetup;

namespace LogoutFunction.Tests.Contract;

/// <summary>One way of attacking the endpoint with a bearer token, and the reason it must be refused for.</summary>
/// <param name="Authorization">The whole <c>Authorization</c> header value.</param>
/// <param name="OverHttp">False when HTTP itself would change the header (leading or trailing whitespace, control characters).</param>
public sealed record AdversarialCase(string Class, string Name, Func<AdversarialSetup, string> Authorization, string Reason, bool OverHttp = true)
{
    public override string ToString() => $"{Class}: {Name}";
}

/// <summary>
/// Tokens an attacker would try, generated per run against <see cref="AdversarialSetup"/>: each
/// claims the victim and must get 401 with the contract's body and the reason named here.
/// The endpoint tests and the end-to-end tests both run all of them.
/// </summary>
public static class AdversarialTokens
{
    public const string Malformed = "The token is malformed";
    public const string BadSignature = "The signature is invalid";
    public const string AlgorithmNotAllowed = "The signing algorithm is not allowed";
    public const string UnknownKey = "The signing key is unknown";
    public const string CriticalHeader = "The token uses an unsupported critical header";
    public const string WrongIssuer = "The issuer is not accepted";
    public const string WrongAudience = "The audience is not accepted";
    public const string NotYetValid = "The token is not valid yet";
    public const string NoExpiry = "The token has no expiry";
    public const string Expired = "The token expired";
    public const string NoUserId = "The token has no user id";
    public const string TooLarge = "The token is too large";
    public const string IssuedInTheFuture = "The token was issued in the future";

    /// <summary>The P-256 group order: signatures with r or s outside [1, n-1] are invalid.</summary>
    private static readonly BigInteger P256Order = BigInteger.Parse("0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", System.Globalization.NumberStyles.HexNumber);

    public static IReadOnlyList<AdversarialCase> All { get; } = [.. WithoutSignature(), .. HmacWithThePublicKey(), .. KeyIds(), .. EmbeddedKeys(), .. Encrypted(), .. Signatures(), .. Algorithms(), .. Segments(), .. Claims(), .. Headers()];

    public static TheoryData<string> Names => [.. All.Select(c => c.ToString())];

    public static AdversarialCase Named(string name) => All.Single(c => c.ToString() == name);

    private static AdversarialCase Case(string @class, string name, Func<AdversarialSetup, string> token, string reason, bool overHttp = true) =>
        new(@class, name, s => "Bearer " + token(s), reason, overHttp);

    private static IEnumerable<AdversarialCase> WithoutSignature()
    {
        foreach (var none in new[] { "none", "None", "NONE", "nOnE" })
        {
            yield return Case("alg none", $"\"{none}\", no signature", s => RawJws.Create(Header(none), Payload(), RawJws.NoSignature), AlgorithmNotAllowed);
        }

        yield return Case("alg none", "\"none\" with a genuine RS256 signature", s => Resign(s.Rs256(), Header("none")), AlgorithmNotAllowed);
        yield return Case("alg none", "no alg at all", s => RawJws.Create(new JsonObject { ["typ"] = "JWT", ["kid"] = RsaKid }, Payload(), RawJws.RsaSha256(s.Rsa)), AlgorithmNotAllowed);
        yield return Case("alg none", "an empty alg", s => RawJws.Create(Header(""), Payload(), RawJws.RsaSha256(s.Rsa)), AlgorithmNotAllowed);
        yield return Case("alg none", "RS256 with no signature", s => RawJws.Create(Header(), Payload(), RawJws.NoSignature), BadSignature);
    }

    /// <summary>Algorithm confusion: HMAC keyed with the public key in every form an app might hold it.</summary>
    private static IEnumerable<AdversarialCase> HmacWithThePublicKey()
    {
        var encodings = new (string Name, Func<AdversarialSetup, byte[]> Secret)[]
        {
            ("SPKI PEM", s => System.Text.Encoding.UTF8.GetBytes(s.TrustedRsa.PublicPem)),
            ("SPKI PEM with CRLF", s => System.Text.Encoding.UTF8.GetBytes(s.TrustedRsa.PublicPem.ReplaceLineEndings("\r\n"))),
            ("SPKI PEM without a final newline", s => System.Text.Encoding.UTF8.GetBytes(s.TrustedRsa.PublicPem.TrimEnd())),
            ("PKCS#1 PEM", s => System.Text.Encoding.UTF8.GetBytes(s.TrustedRsa.PublicPkcs1Pem)),
            ("SPKI DER", s => s.Rsa.ExportSubjectPublicKeyInfo()),
            ("PKCS#1 DER", s => s.Rsa.ExportRSAPublicKey()),
            ("base64 of the DER", s => System.Text.Encoding.UTF8.GetBytes(Convert.ToBase64String(s.Rsa.ExportSubjectPublicKeyInfo()))),
            ("the JWK as JSON", s => System.Text.Encoding.UTF8.GetBytes(TestKeyJwkJson(s))),
            ("the modulus", s => s.Rsa.ExportParameters(false).Modulus!),
            ("the key id", _ => System.Text.Encoding.UTF8.GetBytes(RsaKid)),
        };
        foreach (var (alg, hash) in new[] { ("HS256", HashAlgorithmName.SHA256), ("HS384", HashAlgorithmName.SHA384), ("HS512", HashAlgorithmName.SHA512) })
        {
            foreach (var (name, secret) in encodings)
            {
                yield return Case("HMAC keyed with the public key", $"{alg}, {name}", s => RawJws.Create(Header(alg), Payload(), RawJws.Hmac(secret(s), hash)), AlgorithmNotAllowed);
            }
        }
    }

    private static IEnumerable<AdversarialCase> KeyIds()
    {
        foreach (var (name, kid) in new[]
        {
            ("unknown", "unknown"), ("a path", "../../../../dev/null"), ("SQL", "' OR '1'='1"), ("4,000 characters", new string('k', 4000)),
            ("a trailing space", RsaKid + " "), ("another case", RsaKid.ToUpperInvariant()), ("a NUL", RsaKid + "\0"),
            ("a homoglyph", "rsа-1"), ("explicitly empty", ""), ("a URL", "http://127.0.0.1:9/jwks"),
        })
        {
            yield return Case("kid", $"{name}, signed by the trusted key", s => s.Rs256((h, _) => h["kid"] = kid), UnknownKey);
        }

        foreach (var (name, kid) in new (string, JsonNode?)[] { ("null", null), ("a number", 1), ("an array", new JsonArray(RsaKid)), ("an object", new JsonObject { ["kid"] = RsaKid }) })
        {
            yield return Case("kid", $"{name}, signed by the trusted key", s => s.Rs256((h, _) => h["kid"] = kid?.DeepClone()), Malformed);
        }

        yield return Case("kid", "the EC key's id on an RS256 token", s => s.Rs256((h, _) => h["kid"] = EcKid), BadSignature);
        yield return Case("kid", "the trusted kid, signed by the attacker", s => RawJws.Create(Header(), Payload(), RawJws.RsaSha256(s.EvilRsa)), BadSignature);
        yield return Case("kid", "no kid, signed by the attacker", s => RawJws.Create(Header(kid: null), Payload(), RawJws.RsaSha256(s.EvilRsa)), BadSignature);
        yield return Case("kid", "the attacker's thumbprint, signed by the attacker", s => RawJws.Create(Header(kid: s.AttackerRsa.Thumbprint), Payload(), RawJws.RsaSha256(s.EvilRsa)), UnknownKey);
    }

    /// <summary>Headers that point at or carry a key: never fetched, never trusted.</summary>
    private static IEnumerable<AdversarialCase> EmbeddedKeys()
    {
        yield return Case("embedded key", "jwk with the attacker's key and kid", s => Attacker(s, h => { h["kid"] = "evil"; h["jwk"] = AttackerJwk(s, "evil"); }), UnknownKey);
        yield return Case("embedded key", "jwk with the attacker's key under the trusted kid", s => Attacker(s, h => h["jwk"] = AttackerJwk(s, RsaKid)), BadSignature);
        yield return Case("embedded key", "jwk with the attacker's key and no kid", s => Attacker(s, h => { h.Remove("kid"); h["jwk"] = AttackerJwk(s, null); }), BadSignature);
        yield return Case("embedded key", "jku to a JWKS of the attacker's", s => Attacker(s, h => { h["kid"] = "evil"; h["jku"] = s.KeyUrlThatMustNotBeFetched.ToString(); }), UnknownKey);
        yield return Case("embedded key", "x5u to a certificate of the attacker's", s => Attacker(s, h => h["x5u"] = s.KeyUrlThatMustNotBeFetched.ToString()), BadSignature);
        yield return Case("embedded key", "x5c with the attacker's certificate", s => Attacker(s, h => h["x5c"] = new JsonArray(AttackerCertificate(s))), BadSignature);
        yield return Case("embedded key", "x5t#S256 of the attacker's certificate", s => Attacker(s, h => h["x5t#S256"] = Base64UrlEncoder.Encode(SHA256.HashData(Convert.FromBase64String(AttackerCertificate(s))))), BadSignature);
    }

    private static IEnumerable<AdversarialCase> Encrypted()
    {
        yield return Case("JWE", "five segments (RSA-OAEP, A256GCM)", _ => string.Join('.', RawJws.Encode("""{"alg":"RSA-OAEP","enc":"A256GCM","kid":"rsa-1"}"""), RawJws.Encode(RandomNumberGenerator.GetBytes(256)), RawJws.Encode(RandomNumberGenerator.GetBytes(12)), RawJws.Encode(RandomNumberGenerator.GetBytes(64)), RawJws.Encode(RandomNumberGenerator.GetBytes(16))), Malformed);
        yield return Case("JWE", "five segments (dir, with an empty key)", _ => string.Join('.', RawJws.Encode("""{"alg":"dir","enc":"A128CBC-HS256"}"""), "", RawJws.Encode(RandomNumberGenerator.GetBytes(16)), RawJws.Encode(RandomNumberGenerator.GetBytes(64)), RawJws.Encode(RandomNumberGenerator.GetBytes(16))), Malformed);
    }

    /// <summary>Forged, psychic and out-of-range signatures.</summary>
    private static IEnumerable<AdversarialCase> Signatures()
    {
        var order = P256Order.ToByteArray(isUnsigned: true, isBigEndian: true);
        yield return Case("signature", "ES256 with r = s = 0 (psychic)", s => Es256With(s, new byte[64]), BadSignature);
        yield return Case("signature", "ES256 with r = s = n", s => Es256With(s, [.. order, .. order]), BadSignature);
        yield return Case("signature", "ES256 with r = 0", s => Es256With(s, [.. new byte[32], .. GenuineEs256(s)[32..]]), BadSignature);
        yield return Case("signature", "ES256 with s = 0", s => Es256With(s, [.. GenuineEs256(s)[..32], .. new byte[32]]), BadSignature);
        yield return Case("signature", "ES256 with s + n (out of range)", s => Es256With(s, [.. GenuineEs256(s)[..32], .. Add(GenuineEs256(s)[32..], P256Order)]), BadSignature);
        yield return Case("signature", "ES256 in DER instead of r||s", s => Es256With(s, s.Ec.SignData(System.Text.Encoding.ASCII.GetBytes(SigningInput(s.Es256())), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)), BadSignature);
        yield return Case("signature", "ES256 one byte short", s => Es256With(s, GenuineEs256(s)[..63]), BadSignature);
        yield return Case("signature", "ES256 one byte long", s => Es256With(s, [.. GenuineEs256(s), 0]), BadSignature);
        yield return Case("signature", "RS256 all zeros", s => Resign(s.Rs256(), Header(), new byte[256]), BadSignature);
        yield return Case("signature", "RS256 equal to one", s => Resign(s.Rs256(), Header(), [.. new byte[255], 1]), BadSignature);
        yield return Case("signature", "RS256 equal to the modulus", s => Resign(s.Rs256(), Header(), s.Rsa.ExportParameters(false).Modulus!), BadSignature);
        yield return Case("signature", "RS256 one byte long", s => Resign(s.Rs256(), Header(), [0, .. GenuineRs256(s)]), BadSignature);
        yield return Case("signature", "RS256 one byte short", s => Resign(s.Rs256(), Header(), GenuineRs256(s)[1..]), BadSignature);
        yield return Case("signature", "a genuine signature of another token", s => Splice(s.Rs256(), s.Rs256((_, p) => p["sub"] = "attacker")), BadSignature);
        yield return Case("signature", "a genuine signature with the payload changed", s => Splice(s.Rs256((_, p) => p["sub"] = "attacker"), s.Rs256()), BadSignature);
    }

    private static IEnumerable<AdversarialCase> Algorithms()
    {
        yield return Case("algorithm", "RS256 header, PS256 signature", s => RawJws.Create(Header(), Payload(), RawJws.Rsa(s.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)), BadSignature);
        yield return Case("algorithm", "PS256, not configured", s => RawJws.Create(Header("PS256"), Payload(), RawJws.Rsa(s.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)), AlgorithmNotAllowed);
        yield return Case("algorithm", "RS512, not configured", s => RawJws.Create(Header("RS512"), Payload(), RawJws.Rsa(s.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1)), AlgorithmNotAllowed);
        yield return Case("algorithm", "ES384, not configured", s => RawJws.Create(Header("ES384", EcKid), Payload(), RawJws.EcdsaSha256(s.Ec)), AlgorithmNotAllowed);
        yield return Case("algorithm", "rs256 in lower case", s => RawJws.Create(Header("rs256"), Payload(), RawJws.RsaSha256(s.Rsa)), AlgorithmNotAllowed);
        yield return Case("algorithm", "RS256 with a trailing space", s => RawJws.Create(Header("RS256 "), Payload(), RawJws.RsaSha256(s.Rsa)), AlgorithmNotAllowed);
        yield return Case("algorithm", "ES256 header on the RSA key", s => RawJws.Create(Header("ES256"), Payload(), RawJws.RsaSha256(s.Rsa)), BadSignature);
        yield return Case("algorithm", "RS256 header on the EC key", s => RawJws.Create(Header("RS256", EcKid), Payload(), RawJws.EcdsaSha256(s.Ec)), BadSignature);
    }

    /// <summary>RFC 7515 section 7.1: three base64url segments, no padding, no whitespace, one JSON object each.</summary>
    private static IEnumerable<AdversarialCase> Segments()
    {
        yield return Case("encoding", "'=' after the signature", s => s.Rs256() + "=", Malformed);
        yield return Case("encoding", "'==' after the signature", s => s.Rs256() + "==", Malformed);
        yield return Case("encoding", "a padded header", s => ChangeSegment(s.Rs256(), 0, Pad), Malformed);
        yield return Case("encoding", "a padded payload, re-signed", s => RawJws.CreateFromSegments(RawJws.Encode(Header().ToJsonString()), Pad(RawJws.Encode(Payload().ToJsonString() + " ")), RawJws.RsaSha256(s.Rsa)), Malformed);
        yield return Case("encoding", "standard base64 with padding", s => RawJws.CreateFromSegments(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Header().ToJsonString())), Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Payload().ToJsonString())), RawJws.RsaSha256(s.Rsa)), Malformed);
        yield return Case("encoding", "a space inside the header, re-signed", s => RawJws.CreateFromSegments(Insert(RawJws.Encode(Header().ToJsonString()), 8, " "), RawJws.Encode(Payload().ToJsonString()), RawJws.RsaSha256(s.Rsa)), Malformed);
        yield return Case("encoding", "a tab before the token", s => "\t" + s.Rs256(), Malformed);
        yield return Case("encoding", "a trailing newline", s => s.Rs256() + "\n", Malformed, overHttp: false);
        yield return Case("encoding", "a trailing space", s => s.Rs256() + " ", Malformed, overHttp: false);
        yield return Case("encoding", "one segment", _ => RawJws.Encode(Payload().ToJsonString()), Malformed);
        yield return Case("encoding", "two segments", _ => RawJws.Encode(Header().ToJsonString()) + "." + RawJws.Encode(Payload().ToJsonString()), Malformed);
        yield return Case("encoding", "four segments", s => s.Rs256() + ".e30", Malformed);
        yield return Case("encoding", "an empty header", s => "." + RawJws.Encode(Payload().ToJsonString()) + ".c2ln", Malformed);
        yield return Case("encoding", "an empty payload", s => RawJws.CreateFromSegments(RawJws.Encode(Header().ToJsonString()), "", RawJws.RsaSha256(s.Rsa)), Malformed);
        yield return Case("encoding", "not base64 at all", _ => "eyJ!.eyJ$.c2ln", Malformed);
        yield return Case("encoding", "a header that is not JSON", s => s.Rs256WithHeaderText("alg=RS256"), Malformed);
        yield return Case("encoding", "a header that is a JSON array", s => s.Rs256WithHeaderText("""["RS256"]"""), Malformed);
        yield return Case("encoding", "a payload that is a JSON array", s => s.Rs256WithPayloadText("""[{"sub":"victim"}]"""), Malformed);
        yield return Case("encoding", "a payload that is a JSON string", s => s.Rs256WithPayloadText("\"victim\""), Malformed);
        yield return Case("encoding", "bytes after the payload object", s => s.Rs256WithPayloadText(Payload().ToJsonString() + "garbage"), Malformed);
        yield return Case("encoding", "a second payload object", s => s.Rs256WithPayloadText(Payload().ToJsonString() + """{"sub":"attacker"}"""), Malformed);
        yield return Case("encoding", "a payload that is not UTF-8", s => RawJws.CreateFromSegments(RawJws.Encode(Header().ToJsonString()), RawJws.Encode([.. "{\"sub\":\""u8, 0xC3, 0x28, .. "\"}"u8]), RawJws.RsaSha256(s.Rsa)), Malformed);
        yield return Case("encoding", "two tokens in one header", s => s.Rs256() + ", Bearer " + s.Rs256(), Malformed);
        yield return Case("encoding", "a token and another word", s => s.Rs256() + " extra", Malformed);
    }

    /// <summary>RFC 7519: NumericDates are numbers, sub and iss strings, member names unique; issuer and audience exact.</summary>
    private static IEnumerable<AdversarialCase> Claims()
    {
        foreach (var claim in new[] { "exp", "nbf", "iat" })
        {
            yield return Case("claims", $"{claim} as a numeric string", s => s.Rs256((_, p) => p[claim] = p[claim]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture)), Malformed);
            yield return Case("claims", $"{claim} as a boolean", s => s.Rs256((_, p) => p[claim] = true), Malformed);
            yield return Case("claims", $"{claim} null", s => s.Rs256((_, p) => p[claim] = null), Malformed);
        }

        yield return Case("claims", "exp 9999999999 as a string", s => s.Rs256((_, p) => p["exp"] = "9999999999"), Malformed);
        yield return Case("claims", "exp beyond any date (1e300)", s => s.Rs256WithPayloadText(Payload().ToJsonString().Replace("\"exp\":", "\"exp\":1e300,\"x\":", StringComparison.Ordinal)), Malformed);
        yield return Case("claims", "no exp", s => s.Rs256((_, p) => p.Remove("exp")), NoExpiry);
        // Within the grace (30 days) a genuine expired token still revokes its user's refresh token: these are beyond it.
        yield return Case("claims", "expired beyond the grace", s => s.Rs256((_, p) => { p["exp"] = DateTimeOffset.UtcNow.AddDays(-31).ToUnixTimeSeconds(); p["nbf"] = DateTimeOffset.UtcNow.AddDays(-32).ToUnixTimeSeconds(); p["iat"] = DateTimeOffset.UtcNow.AddDays(-32).ToUnixTimeSeconds(); }), Expired);
        yield return Case("claims", "nbf after exp", s => s.Rs256((_, p) => p["exp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60), "The token lifetime is invalid");
        yield return Case("claims", "exp at the epoch", s => s.Rs256((_, p) => { p["exp"] = 0; p.Remove("nbf"); p.Remove("iat"); }), Expired);
        yield return Case("claims", "nbf in the future", s => s.Rs256((_, p) => p["nbf"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 600), NotYetValid);
        yield return Case("claims", "iat in the future", s => s.Rs256((_, p) => p["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600), IssuedInTheFuture);
        yield return Case("claims", "sub as a number", s => s.Rs256((_, p) => p["sub"] = 123), Malformed);
        yield return Case("claims", "sub as a fraction", s => s.Rs256((_, p) => p["sub"] = 1.5), Malformed);
        yield return Case("claims", "sub null", s => s.Rs256((_, p) => p["sub"] = null), Malformed);
        yield return Case("claims", "sub as an array", s => s.Rs256((_, p) => p["sub"] = new JsonArray(Victim)), Malformed);
        yield return Case("claims", "sub as an object", s => s.Rs256((_, p) => p["sub"] = new JsonObject { ["id"] = Victim }), Malformed);
        yield return Case("claims", "sub empty", s => s.Rs256((_, p) => p["sub"] = ""), NoUserId);
        yield return Case("claims", "sub blank", s => s.Rs256((_, p) => p["sub"] = "   "), NoUserId);
        yield return Case("claims", "no sub", s => s.Rs256((_, p) => p.Remove("sub")), NoUserId);
        yield return Case("claims", "sub twice, the victim last", s => s.Rs256WithPayloadText(Payload().ToJsonString().Replace("{", "{\"sub\":\"attacker\",", StringComparison.Ordinal)), Malformed);
        yield return Case("claims", "exp twice", s => s.Rs256WithPayloadText(Payload().ToJsonString().Replace("{", "{\"exp\":1,", StringComparison.Ordinal)), Malformed);
        yield return Case("claims", "an audience with a trailing slash", s => s.Rs256((_, p) => p["aud"] = Audience + "/"), WrongAudience);
        yield return Case("claims", "an audience in another case", s => s.Rs256((_, p) => p["aud"] = Audience.ToUpperInvariant()), WrongAudience);
        yield return Case("claims", "an audience list with a null", s => s.Rs256((_, p) => p["aud"] = new JsonArray(null, Audience)), Malformed);
        yield return Case("claims", "an audience as a number", s => s.Rs256((_, p) => p["aud"] = 1), Malformed);
        yield return Case("claims", "an empty audience list", s => s.Rs256((_, p) => p["aud"] = new JsonArray()), WrongAudience);
        yield return Case("claims", "no audience", s => s.Rs256((_, p) => p.Remove("aud")), WrongAudience);
        yield return Case("claims", "an issuer with a trailing slash", s => s.Rs256((_, p) => p["iss"] = Issuer + "/"), WrongIssuer);
        yield return Case("claims", "an issuer in another case", s => s.Rs256((_, p) => p["iss"] = Issuer.ToUpperInvariant()), WrongIssuer);
        yield return Case("claims", "an issuer as a number", s => s.Rs256((_, p) => p["iss"] = 1), Malformed);
        yield return Case("claims", "no issuer", s => s.Rs256((_, p) => p.Remove("iss")), WrongIssuer);
        yield return Case("claims", "over 8 KiB", s => s.Rs256((_, p) => p["pad"] = new string('x', 8 * 1024)), TooLarge);
    }

    /// <summary>RFC 7515 section 4.1.11 and section 4: crit is refused (no extension is understood), parameters are unique and typed.</summary>
    private static IEnumerable<AdversarialCase> Headers()
    {
        yield return Case("header", "crit naming exp", s => s.Rs256((h, _) => h["crit"] = new JsonArray("exp")), CriticalHeader);
        yield return Case("header", "crit b64 with b64 false", s => s.Rs256((h, _) => { h["b64"] = false; h["crit"] = new JsonArray("b64"); }), CriticalHeader);
        yield return Case("header", "crit naming an unknown extension", s => s.Rs256((h, _) => { h["x-ext"] = 1; h["crit"] = new JsonArray("x-ext"); }), CriticalHeader);
        yield return Case("header", "crit empty", s => s.Rs256((h, _) => h["crit"] = new JsonArray()), CriticalHeader);
        yield return Case("header", "crit not a list", s => s.Rs256((h, _) => h["crit"] = "x"), CriticalHeader);
        yield return Case("header", "crit null", s => s.Rs256((h, _) => h["crit"] = null), CriticalHeader);
        yield return Case("header", "alg twice, RS256 last", s => s.Rs256WithHeaderText("""{"alg":"none","alg":"RS256","kid":"rsa-1"}"""), Malformed);
        yield return Case("header", "alg twice, none last", s => s.Rs256WithHeaderText("""{"alg":"RS256","alg":"none","kid":"rsa-1"}"""), Malformed);
        yield return Case("header", "alg as a number", s => s.Rs256((h, _) => h["alg"] = 256), Malformed);
        yield return Case("header", "typ as a number", s => s.Rs256((h, _) => h["typ"] = 1), Malformed);
        yield return Case("header", "a header nested too deep", s => s.Rs256((h, _) => h["x"] = Nested(40)), Malformed);
    }

    private static string Attacker(AdversarialSetup s, Action<JsonObject> change)
    {
        var header = Header();
        change(header);
        return RawJws.Create(header, Payload(), RawJws.RsaSha256(s.EvilRsa));
    }

    private static JsonObject AttackerJwk(AdversarialSetup s, string? kid)
    {
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = s.AttackerRsa.PublicJwk.N, ["e"] = s.AttackerRsa.PublicJwk.E };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        return jwk;
    }

    private static string AttackerCertificate(AdversarialSetup s)
    {
        var request = new CertificateRequest("CN=" + RsaKid, s.EvilRsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Convert.ToBase64String(certificate.RawData);
    }

    private static string TestKeyJwkJson(AdversarialSetup s) =>
        new JsonObject { ["e"] = s.TrustedRsa.PublicJwk.E, ["kty"] = "RSA", ["n"] = s.TrustedRsa.PublicJwk.N }.ToJsonString();

    private static string SigningInput(string token) => token[..token.LastIndexOf('.')];

    private static byte[] GenuineEs256(AdversarialSetup s) => Base64UrlEncoder.DecodeBytes(s.Es256().Split('.')[2]);

    private static byte[] GenuineRs256(AdversarialSetup s) => Base64UrlEncoder.DecodeBytes(s.Rs256().Split('.')[2]);

    private static string Es256With(AdversarialSetup s, byte[] signature) => SigningInput(s.Es256()) + "." + RawJws.Encode(signature);

    /// <summary>The token's payload under a new header, with a given signature or the old one.</summary>
    private static string Resign(string token, JsonObject header, byte[]? signature = null)
    {
        var parts = token.Split('.');
        return RawJws.Encode(header.ToJsonString()) + "." + parts[1] + "." + (signature is null ? parts[2] : RawJws.Encode(signature));
    }

    /// <summary>The signing input of one token with the signature of another.</summary>
    private static string Splice(string signingInputOf, string signatureOf) => SigningInput(signingInputOf) + "." + signatureOf.Split('.')[2];

    private static string ChangeSegment(string token, int index, Func<string, string> change)
    {
        var parts = token.Split('.');
        parts[index] = change(parts[index]);
        return string.Join('.', parts);
    }

    /// <summary>The padding standard base64 would add, or a lone '=' where it would add none.</summary>
    private static string Pad(string segment) => segment + new string('=', Math.Max(1, (4 - (segment.Length % 4)) % 4));

    private static string Insert(string text, int at, string what) => text[..at] + what + text[at..];

    private static byte[] Add(byte[] bigEndian, BigInteger addend)
    {
        var sum = new BigInteger(bigEndian, isUnsigned: true, isBigEndian: true) + addend;
        return sum.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonArray(node);
        }

        return node;
    }
}
