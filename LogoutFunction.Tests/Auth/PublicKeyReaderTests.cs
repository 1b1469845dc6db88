using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Tests.Auth;

public sealed class PublicKeyReaderTests
{
    private static readonly TestKey Rsa = TestKey.Rsa();
    private static readonly TestKey Ec = TestKey.EcP256();

    [Fact]
    public void Gives_PEM_keys_their_RFC_7638_thumbprint_as_key_id()
    {
        var keys = PublicKeyReader.ReadConfigured(Rsa.PublicPem + "\n" + Ec.PublicPem);

        Assert.Equal([Rsa.Thumbprint, Ec.Thumbprint], keys.Select(k => k.KeyId));
        Assert.IsType<RsaSecurityKey>(keys[0]);
        Assert.IsType<ECDsaSecurityKey>(keys[1]);
    }

    [Fact]
    public void Reads_PEM_with_escaped_newlines_as_app_settings_often_hold_it()
    {
        var oneLine = Rsa.PublicPem.Replace("\n", "\\n", StringComparison.Ordinal);

        Assert.Equal(Rsa.Thumbprint, Assert.Single(PublicKeyReader.ReadConfigured(oneLine)).KeyId);
    }

    [Fact]
    public void Keeps_JWKS_kids_and_thumbprints_keys_without_one()
    {
        var keys = PublicKeyReader.ReadConfigured(TestKey.JwksOf((Rsa, "rsa-1"), (Ec, null)));

        Assert.Equal(["rsa-1", Ec.Thumbprint], keys.Select(k => k.KeyId));
    }

    [Theory]
    [InlineData(null, "Jwt__PublicKeys is not set")]
    [InlineData("   ", "Jwt__PublicKeys is not set")]
    [InlineData("hello", "Jwt__PublicKeys holds no PEM public key")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "Jwt__PublicKeys: PEM key 1 could not be read as a public key")]
    [InlineData("{\"keys\":[]}", "Jwt__PublicKeys: the JWKS document has no keys")]
    [InlineData("{\"keys\": 5}", "Jwt__PublicKeys looks like JSON but is not a JWKS document")]
    [InlineData("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}", "JWKS key 1 has key type 'oct'")]
    [InlineData("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"use\":\"enc\"}]}", "the JWKS document has no signing keys")]
    public void Refuses_a_missing_or_broken_setting_naming_it(string? value, string expected)
    {
        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured(value));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_private_key_in_PEM()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured(rsa.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("'PRIVATE KEY'; only public keys", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MII", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_JWK_with_private_material()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)));
        var jwks = System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", n = jwk.N, e = jwk.E, d = jwk.D, p = jwk.P, q = jwk.Q } } });

        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured(jwks));

        Assert.Contains("contains private key material", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_an_RSA_key_shorter_than_2048_bits()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);

        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured(rsa.ExportSubjectPublicKeyInfoPem()));

        Assert.Equal("Jwt__PublicKeys: key 1 is an RSA key of 1024 bits; at least 2048 are required.", error.Message);
    }

    [Fact]
    public void Reads_a_JWK_with_both_n_e_and_x5c_as_identity_providers_publish_them()
    {
        var key = Assert.Single(PublicKeyReader.ReadConfigured(Rsa.JwksWithCertificate("idp-1")));

        Assert.Equal("idp-1", key.KeyId);
        Assert.Equal(2048, key.KeySize);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Refuses_a_JWKS_RSA_key_under_2048_bits_with_or_without_a_certificate(bool withModulus)
    {
        var weak = TestKey.Rsa(bits: 1024);

        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured(weak.JwksWithCertificate("idp-1", withModulus)));

        Assert.Equal("Jwt__PublicKeys: key 1 is an RSA key of 1024 bits; at least 2048 are required.", error.Message);
    }

    [Fact]
    public void Refuses_a_toy_RSA_modulus()
    {
        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}"));

        Assert.StartsWith("Jwt__PublicKeys: key 1 is an RSA key of ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_two_keys_with_one_id()
    {
        var error = Assert.Throws<InvalidSigningKeyException>(() => PublicKeyReader.ReadConfigured(Rsa.PublicPem + "\n" + Rsa.PublicPem));

        Assert.Contains("two keys with the key id", error.Message, StringComparison.Ordinal);
    }
}
