using System.Text.Json;
using System.Text.Json.Nodes;
using LogoutFunction.Auth;
using Microsoft.IdentityModel.Tokens;

namespace DevTokens;

/// <summary>
/// Public keys as a JWKS document, read the way the app reads <c>Jwt__PublicKeys</c> (so each key
/// keeps the id the app gives it: its RFC 7638 thumbprint). API Management's validate-jwt takes
/// RSA keys only as modulus and exponent, which a JWKS carries and PEM does not.
/// </summary>
public static class JwksDocument
{
    public static string FromPublicKeys(string publicKeys)
    {
        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = PublicKeyReader.ReadConfigured(publicKeys);
        }
        catch (InvalidSigningKeyException e)
        {
            throw new DevToolException(e.Message);
        }

        var members = new JsonArray();
        foreach (var key in keys)
        {
            var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key);
            var member = new JsonObject { ["kty"] = jwk.Kty, ["use"] = "sig", ["kid"] = key.KeyId };
            if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
            {
                member["n"] = jwk.N;
                member["e"] = jwk.E;
            }
            else
            {
                member["crv"] = jwk.Crv;
                member["x"] = jwk.X;
                member["y"] = jwk.Y;
            }

            members.Add(member);
        }

        return new JsonObject { ["keys"] = members }.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
