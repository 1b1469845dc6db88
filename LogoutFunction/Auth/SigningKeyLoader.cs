using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Turns <c>Jwt__PublicKeys</c> (concatenated PEM public keys, or a JWKS document) into
/// signing keys, each with a key id: the JWK's <c>kid</c>, or for PEM keys (and JWKs without
/// one) the RFC 7638 thumbprint. Anything that is not a public asymmetric key is refused,
/// so a pasted private or symmetric key can never end up trusted.
/// </summary>
public static class SigningKeyLoader
{
    private const string Setting = "Jwt__PublicKeys";

    /// <summary>NIST SP 800-131A: shorter RSA keys no longer protect a signature.</summary>
    private const int MinimumRsaKeyBits = 2048;

    public static IReadOnlyList<SecurityKey> Load(string? publicKeys)
    {
        if (string.IsNullOrWhiteSpace(publicKeys))
        {
            throw new InvalidSigningKeyException($"{Setting} is not set: configure one or more PEM public keys or a JWKS document.");
        }

        // App settings often carry PEM on one line with escaped newlines.
        var text = publicKeys.Contains('\n', StringComparison.Ordinal) ? publicKeys : publicKeys.Replace("\\n", "\n", StringComparison.Ordinal);
        List<SecurityKey> keys = text.TrimStart().StartsWith('{') ? LoadJwks(text) : LoadPem(text);

        var weak = keys.FindIndex(k => IsRsa(k) && k.KeySize < MinimumRsaKeyBits);
        if (weak >= 0)
        {
            throw new InvalidSigningKeyException($"{Setting}: key {weak + 1} is an RSA key of {keys[weak].KeySize} bits; at least {MinimumRsaKeyBits} are required.");
        }

        var duplicate = keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidSigningKeyException($"{Setting} holds two keys with the key id '{duplicate.Key}': key ids must be unique.");
        }

        return keys;
    }

    private static List<SecurityKey> LoadPem(string text)
    {
        var keys = new List<SecurityKey>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            var der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            keys.Add(WithThumbprintId(ImportPemKey(label, der, keys.Count + 1)));
            remaining = remaining[fields.Location.End..];
        }

        if (keys.Count == 0)
        {
            throw new InvalidSigningKeyException($"{Setting} holds no PEM public key ('-----BEGIN PUBLIC KEY-----') and is not a JWKS document.");
        }

        return keys;
    }

    private static AsymmetricSecurityKey ImportPemKey(string label, byte[] der, int position)
    {
        try
        {
            switch (label)
            {
                case "RSA PUBLIC KEY":
                    var pkcs1 = RSA.Create();
                    pkcs1.ImportRSAPublicKey(der, out _);
                    return new RsaSecurityKey(pkcs1);
                case "PUBLIC KEY":
                    var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(der, out _);
                    if (publicKey.GetRSAPublicKey() is { } rsa)
                    {
                        return new RsaSecurityKey(rsa);
                    }

                    if (publicKey.GetECDsaPublicKey() is { } ecdsa)
                    {
                        return new ECDsaSecurityKey(ecdsa);
                    }

                    throw new InvalidSigningKeyException($"{Setting}: PEM key {position} is neither an RSA nor an EC public key.");
                default:
                    throw new InvalidSigningKeyException($"{Setting}: PEM block {position} is a '{label}'; only public keys ('PUBLIC KEY', 'RSA PUBLIC KEY') belong here.");
            }
        }
        catch (CryptographicException)
        {
            throw new InvalidSigningKeyException($"{Setting}: PEM key {position} could not be read as a public key.");
        }
    }

    private static List<SecurityKey> LoadJwks(string json)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (ArgumentException)
        {
            throw new InvalidSigningKeyException($"{Setting} looks like JSON but is not a JWKS document ({{\"keys\":[...]}}).");
        }

        if (set.Keys.Count == 0)
        {
            throw new InvalidSigningKeyException($"{Setting}: the JWKS document has no keys.");
        }

        var keys = SigningKeysOf(set, Setting, refused => throw refused);
        if (keys.Count == 0)
        {
            throw new InvalidSigningKeyException($"{Setting}: the JWKS document has no signing keys.");
        }

        return keys;
    }

    /// <summary>
    /// The signing keys of a JWKS the issuer published, by the same rules as <c>Jwt__PublicKeys</c>;
    /// a key that breaks one is left out and reported, so one bad key cannot hide the others.
    /// </summary>
    public static IReadOnlyList<SecurityKey> FromIssuer(JsonWebKeySet set, string source, Action<InvalidSigningKeyException> refused)
    {
        var keys = SigningKeysOf(set, source, refused);
        var unique = keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Single()).ToList();
        if (unique.Count < keys.Count)
        {
            refused(new InvalidSigningKeyException($"{source}: two or more keys share a key id; none of them is used."));
        }

        return unique;
    }

    private static List<SecurityKey> SigningKeysOf(JsonWebKeySet set, string source, Action<InvalidSigningKeyException> refused)
    {
        var keys = new List<SecurityKey>();
        var position = 0;
        foreach (var jwk in set.Keys)
        {
            position++;
            try
            {
                RefuseUnsafe(jwk, position, source);
                if (jwk.Use is { Length: > 0 } use && use != JsonWebKeyUseNames.Sig)
                {
                    continue;
                }

                keys.Add(ToSigningKey(jwk, position, source));
            }
            catch (InvalidSigningKeyException e)
            {
                refused(e);
            }
        }

        return keys;
    }

    private static void RefuseUnsafe(JsonWebKey jwk, int position, string source)
    {
        if (jwk.Kty is not (JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve))
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} has key type '{jwk.Kty}'; only RSA and EC public keys are accepted.");
        }

        if (!string.IsNullOrEmpty(jwk.D))
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} contains private key material; publish only the public half.");
        }
    }

    /// <summary>
    /// One signing key per JWK, converted now so that a malformed key stops start-up rather
    /// than failing every request. Identity providers often publish n/e and x5c together.
    /// </summary>
    private static SecurityKey ToSigningKey(JsonWebKey jwk, int position, string source)
    {
        if (!JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var key))
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} could not be read as an {jwk.Kty} public key.");
        }

        if (IsRsa(key) && key.KeySize < MinimumRsaKeyBits)
        {
            throw new InvalidSigningKeyException($"{source}: key {position} is an RSA key of {key.KeySize} bits; at least {MinimumRsaKeyBits} are required.");
        }

        if (!string.IsNullOrEmpty(jwk.Kid))
        {
            key.KeyId = jwk.Kid;
            return key;
        }

        try
        {
            key.KeyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
            return key;
        }
        catch (ArgumentException)
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} has neither a kid nor the members its thumbprint needs.");
        }
    }

    private static bool IsRsa(SecurityKey key) =>
        key is RsaSecurityKey || key is X509SecurityKey { PublicKey: RSA };

    private static AsymmetricSecurityKey WithThumbprintId(AsymmetricSecurityKey key)
    {
        var jwk = key switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ec),
            _ => throw new InvalidSigningKeyException($"{Setting}: unsupported key type."),
        };
        key.KeyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        return key;
    }
}
