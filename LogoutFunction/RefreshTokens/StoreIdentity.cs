using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// The identity the store is reached with when <c>RefreshTokenStorage__tableServiceUri</c> is
/// set: the user-assigned managed identity named by <c>RefreshTokenStorage__clientId</c> (what
/// infra/ deploys), or else the app's system-assigned one. Never <c>DefaultAzureCredential</c>,
/// which the Azure SDK advises against in production: it tries credentials in turn, so what
/// it ends up using depends on the machine. Null with a connection string.
/// </summary>
public sealed class StoreIdentity(TokenCredential? credential)
{
    /// <summary>The scope of a Table Storage access token.</summary>
    public static readonly TokenRequestContext StorageScope = new(["https://storage.azure.com/.default"]);

    public TokenCredential? Credential => credential;

    public static StoreIdentity From(IConfigurationSection connection) =>
        !string.IsNullOrWhiteSpace(connection.Value) ? new StoreIdentity(null) : new StoreIdentity(ManagedIdentity(connection["clientId"]));

    // Apart, so that an app with a connection string never loads the identity libraries.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static ManagedIdentityCredential ManagedIdentity(string? clientId) =>
        new(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
}
