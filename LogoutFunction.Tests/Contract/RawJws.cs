using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Tests.Contract;

/// <summary>
/// Builds compact JWS strings by hand, byte for byte, so that tests can make the tokens a
/// library would never produce: odd headers, wrong JSON types, duplicate members, padded or
/// re-encoded segments, forged and out-of-range signatures.
/// </summary>
public static class RawJws
{
    /// <summary>Signs the signing input <c>header.payload</c>: returns the signature bytes.</summary>
    public delegate byte[] Signer(byte[] signingInput);

    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static string Encode(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    /// <summary>A token from header and payload JSON text, exactly as given.</summary>
    public static string Create(string headerJson, string payloadJson, Signer signer) =>
        CreateFromSegments(Encode(headerJson), Encode(payloadJson), signer);

    public static string Create(JsonObject header, JsonObject payload, Signer signer) =>
        Create(header.ToJsonString(), payload.ToJsonString(), signer);

    /// <summary>A token from already encoded segments (which may be deliberately wrong).</summary>
    public static string CreateFromSegments(string encodedHeader, string encodedPayload, Signer signer)
    {
        var signingInput = encodedHeader + "." + encodedPayload;
        return signingInput + "." + Encode(signer(Encoding.ASCII.GetBytes(signingInput)));
    }

    public static Signer Rsa(RSA key, HashAlgorithmName hash, RSASignaturePadding padding) => input => key.SignData(input, hash, padding);

    public static Signer RsaSha256(RSA key) => Rsa(key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>ECDSA as JWS wants it: r and s, fixed length, concatenated (IEEE P1363).</summary>
    public static Signer EcdsaSha256(ECDsa key) => input => key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static Signer Hmac(byte[] secret, HashAlgorithmName hash) => input => hash.Name switch
    {
        "SHA384" => HMACSHA384.HashData(secret, input),
        "SHA512" => HMACSHA512.HashData(secret, input),
        _ => HMACSHA256.HashData(secret, input),
    };

    public static Signer Fixed(byte[] signature) => _ => signature;

    public static readonly Signer NoSignature = _ => [];
}
