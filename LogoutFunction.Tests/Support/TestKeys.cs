using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Tests.Support;

/// <summary>Key pairs generated per test run; nothing private is ever written to disk.</summary>
public sealed class TestKey
{
    private TestKey(AsymmetricSecurityKey privateKey, string publicPem, string algorithm)
    {
        PrivateKey = privateKey;
        PublicPem = publicPem;
        Algorithm = algorithm;
        var jwk = privateKey switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.Rsa.ExportParameters(false))),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false)))),
            _ => throw new NotSupportedException(),
        };
        Thumbprint = LogoutFunction.Auth.PublicKeyReader.KeyIdOf(privateKey);
        PublicJwk = jwk;
    }

    public AsymmetricSecurityKey PrivateKey { get; }

    public string PublicPem { get; }

    public string Algorithm { get; }

    /// <summary>The RFC 7638 thumbprint: the key id the app gives a PEM key.</summary>
    public string Thumbprint { get; }

    public JsonWebKey PublicJwk { get; }

    public static TestKey Rsa(string algorithm = SecurityAlgorithms.RsaSha256, int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        return new TestKey(new RsaSecurityKey(rsa), rsa.ExportSubjectPublicKeyInfoPem(), algorithm);
    }

    /// <summary>An RSA key pair read from a PEM private key, e.g. the dev key a running app trusts.</summary>
    public static TestKey RsaFromPrivatePem(string privatePem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        return new TestKey(new RsaSecurityKey(rsa), rsa.ExportSubjectPublicKeyInfoPem(), SecurityAlgorithms.RsaSha256);
    }

    /// <summary>The same kind of key in PKCS#1 form (<c>BEGIN RSA PUBLIC KEY</c>).</summary>
    public string PublicPkcs1Pem => ((RsaSecurityKey)PrivateKey).Rsa.ExportRSAPublicKeyPem();

    public static TestKey EcP256()
    {
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TestKey(new ECDsaSecurityKey(ec), ec.ExportSubjectPublicKeyInfoPem(), SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>A JWKS document with this public key; <paramref name="kid"/> null leaves the kid out.</summary>
    public string Jwks(string? kid) => JwksOf((this, kid));

    /// <summary>
    /// A JWKS with this RSA key as identity providers publish it: a self-signed certificate in
    /// <c>x5c</c>, and <c>n</c>/<c>e</c> too when <paramref name="withModulus"/>.
    /// </summary>
    public string JwksWithCertificate(string kid, bool withModulus = true)
    {
        var rsa = ((RsaSecurityKey)PrivateKey).Rsa;
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=issuer", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var jwk = new Dictionary<string, object> { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid, ["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) } };
        if (withModulus)
        {
            jwk["n"] = PublicJwk.N;
            jwk["e"] = PublicJwk.E;
        }

        return System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { jwk } });
    }

    public static string JwksOf(params (TestKey Key, string? Kid)[] keys)
    {
        var entries = keys.Select(k =>
        {
            var jwk = k.Key.PublicJwk;
            var fields = new Dictionary<string, string?> { ["kty"] = jwk.Kty, ["use"] = "sig", ["kid"] = k.Kid, ["n"] = jwk.N, ["e"] = jwk.E, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y };
            return fields.Where(f => f.Value is not null).ToDictionary();
        });
        return System.Text.Json.JsonSerializer.Serialize(new { keys = entries });
    }
}
