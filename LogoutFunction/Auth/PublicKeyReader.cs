using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Reads public keys into signing keys with ids, by one set of rules for <c>Jwt__PublicKeys</c>
/// (concatenated PEM, or a JWKS document) and for the keys an issuer publishes: public RSA or EC
/// keys only (a pasted private or symmetric key never ends up trusted), RSA of at least 2048 bits,
/// signing use, an id (the JWK's <c>kid</c>, else the RFC 7638 thumbprint), and no id twice.
/// A key that breaks a rule is handed to <c>refused</c>: configured keys stop the start-up,
/// published ones are left out and reported, so one bad key cannot hide the others.
/// </summary>
public static class PublicKeyReader
{
    private const string Setting = "Jwt__PublicKeys";

    /// <summary>NIST SP 800-131A: shorter RSA keys no longer protect a signature.</summary>
    private const int MinimumRsaKeyBits = 2048;

    /// <summary>The keys of <c>Jwt__PublicKeys</c>.</summary>
    /// <exception cref="InvalidSigningKeyException">The setting holds anything but usable public keys.</exception>
    public static IReadOnlyList<SecurityKey> ReadConfigured(string? publicKeys)
    {
        if (string.IsNullOrWhiteSpace(publicKeys))
        {
            throw new InvalidSigningKeyException($"{Setting} is not set: configure one or more PEM public keys or a JWKS document.");
        }

        // App settings often carry PEM on one line with escaped newlines.
        var text = publicKeys.Contains('\n', StringComparison.Ordinal) ? publicKeys : publicKeys.Replace("\\n", "\n", StringComparison.Ordinal);
        var keys = text.TrimStart().StartsWith('{') ? ReadJwks(text) : ReadPem(text);
        return Checked(keys, Setting, refused => throw refused);
    }

    /// <summary>The signing keys of a JWKS an issuer published; those that break a rule are reported and left out.</summary>
    public static IReadOnlyList<SecurityKey> ReadPublished(JsonWebKeySet set, string source, Action<InvalidSigningKeyException> refused) =>
        Checked(FromJwks(set, source, refused), source, refused);

    /// <summary>The RFC 7638 thumbprint, base64url: the id of a key that names none (a PEM key always).</summary>
    public static string KeyIdOf(AsymmetricSecurityKey key)
    {
        var jwk = key switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ec),
            _ => throw new InvalidSigningKeyException("Only RSA and EC keys have an id here."),
        };
        return Thumbprint(jwk);
    }

    private static string Thumbprint(JsonWebKey jwk) => Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());

    /// <summary>The rules every key meets, wherever it comes from: strong enough, and an id of its own.</summary>
    private static List<SecurityKey> Checked(List<(SecurityKey Key, int Position)> keys, string source, Action<InvalidSigningKeyException> refused)
    {
        var strong = new List<SecurityKey>();
        foreach (var (key, position) in keys)
        {
            if (IsRsa(key) && key.KeySize < MinimumRsaKeyBits)
            {
                refused(new InvalidSigningKeyException($"{source}: key {position} is an RSA key of {key.KeySize} bits; at least {MinimumRsaKeyBits} are required."));
                continue;
            }

            strong.Add(key);
        }

        var shared = strong.GroupBy(k => k.KeyId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var keyId in shared)
        {
            refused(new InvalidSigningKeyException($"{source} holds two keys with the key id '{keyId}': key ids must be unique, and neither is used."));
        }

        return [.. strong.Where(k => !shared.Contains(k.KeyId))];
    }

    private static List<(SecurityKey, int)> ReadPem(string text)
    {
        var keys = new List<(SecurityKey, int)>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            var label = remaining[fields.Label].ToString();
            var der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            var key = ImportPemKey(label, der, keys.Count + 1);
            key.KeyId = KeyIdOf(key);
            keys.Add((key, keys.Count + 1));
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

    private static List<(SecurityKey, int)> ReadJwks(string json)
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

        var keys = FromJwks(set, Setting, refused => throw refused);
        if (keys.Count == 0)
        {
            throw new InvalidSigningKeyException($"{Setting}: the JWKS document has no signing keys.");
        }

        return keys;
    }

    /// <summary>
    /// One key per signing JWK, converted now so that a malformed key is found here rather than on
    /// every request. Identity providers often publish n/e and x5c together.
    /// </summary>
    private static List<(SecurityKey, int)> FromJwks(JsonWebKeySet set, string source, Action<InvalidSigningKeyException> refused)
    {
        var keys = new List<(SecurityKey, int)>();
        var position = 0;
        foreach (var jwk in set.Keys)
        {
            position++;
            try
            {
                if (ToSigningKey(jwk, position, source) is { } key)
                {
                    keys.Add((key, position));
                }
            }
            catch (InvalidSigningKeyException e)
            {
                refused(e);
            }
        }

        return keys;
    }

    private static SecurityKey? ToSigningKey(JsonWebKey jwk, int position, string source)
    {
        if (jwk.Kty is not (JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve))
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} has key type '{jwk.Kty}'; only RSA and EC public keys are accepted.");
        }

        if (!string.IsNullOrEmpty(jwk.D))
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} contains private key material; publish only the public half.");
        }

        if (jwk.Use is { Length: > 0 } use && use != JsonWebKeyUseNames.Sig)
        {
            return null;
        }

        if (!JsonWebKeyConverter.TryConvertToSecurityKey(jwk, out var key))
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} could not be read as an {jwk.Kty} public key.");
        }

        try
        {
            key.KeyId = string.IsNullOrEmpty(jwk.Kid) ? Thumbprint(jwk) : jwk.Kid;
            return key;
        }
        catch (ArgumentException)
        {
            throw new InvalidSigningKeyException($"{source}: JWKS key {position} has neither a kid nor the members its thumbprint needs.");
        }
    }

    private static bool IsRsa(SecurityKey key) =>
        key is RsaSecurityKey || key is X509SecurityKey { PublicKey: RSA };
}
