using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// The keys a token may be signed with at one moment: the configured ones and the issuer's last
/// fetched ones, each findable by key id, and the issuer named by the discovery document. One
/// instance per fetch, so a validator can build its parameters once per instance.
/// </summary>
public sealed class SigningKeySet
{
    private readonly Dictionary<string, SecurityKey> _byId;

    public SigningKeySet(IReadOnlyList<SecurityKey> keys, string? discoveredIssuer, bool issuerKeysMissing, bool issuerUnknown = false)
    {
        All = keys;
        // A configured key wins over a fetched one with the same id.
        _byId = keys.GroupBy(k => k.KeyId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        DiscoveredIssuer = discoveredIssuer;
        IssuerKeysMissing = issuerKeysMissing;
        IssuerUnknown = issuerUnknown;
    }

    public IReadOnlyList<SecurityKey> All { get; }

    /// <summary>The discovery document's <c>issuer</c>, with <c>Jwt__Authority</c>.</summary>
    public string? DiscoveredIssuer { get; }

    /// <summary>Keys should come from the issuer, and none was ever fetched: a key that is not found may exist there.</summary>
    public bool IssuerKeysMissing { get; }

    /// <summary>The accepted issuer is the discovery document's, which was never fetched: no token can be checked against it yet.</summary>
    public bool IssuerUnknown { get; }

    public IReadOnlyList<SecurityKey> WithId(string keyId) => _byId.TryGetValue(keyId, out var key) ? [key] : [];
}
