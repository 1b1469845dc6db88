using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LogoutFunction.Auth;

/// <summary>
/// Reads a bare JWKS URL (<c>Jwt__JwksUri</c>) into the configuration type the IdentityModel
/// configuration manager caches, so that both key sources share its refresh and rate limiting.
/// IdentityModel ships a retriever for discovery documents only.
/// </summary>
internal sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var document = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        return new OpenIdConnectConfiguration { JwksUri = address, JsonWebKeySet = new JsonWebKeySet(document) };
    }
}
