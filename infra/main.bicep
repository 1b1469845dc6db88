// LogoutFunction: everything POST /api/logout needs in Azure, in one resource group.
//
//   function app (Flex Consumption, Linux, .NET isolated), running as a user-assigned identity
//     -> host storage account: host state (AzureWebJobsStorage) + deployment package   [Storage Blob Data Owner, Storage Table Data Contributor]
//     -> data storage account: the refresh-token table                                 [Storage Table Data Contributor]
//     -> Application Insights (workspace-based, local auth off)                        [Monitoring Metrics Publisher]
//   optional: log alerts to e-mail, a private endpoint for the data account, API Management
//
// Both storage accounts refuse shared keys and Application Insights refuses instrumentation
// keys: the app authenticates with its managed identity only. The identity and its role
// assignments are deployed before the app (see functionApp's dependsOn). Self-contained (no
// registry modules), so `bicep build infra/main.bicep` works offline. The identity wiring
// follows Azure-Samples/functions-quickstart-dotnet-azd (infra/main.bicep, infra/app/*.bicep).
targetScope = 'subscription'

@description('Name of the environment (azd: AZURE_ENV_NAME). Names the resource group and seeds unique resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of all resources (azd: AZURE_LOCATION). Must offer the Flex Consumption plan.')
@minLength(1)
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Name of the resource group; rg-<environmentName> when empty.')
param resourceGroupName string = ''

@description('Jwt__PublicKeys: the PEM public key(s) or JWKS document that verifies access tokens (or a Key Vault reference: @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/)). Empty when keys come from jwtAuthority or jwtJwksUri; the worker refuses to start when all three are empty.')
param jwtPublicKeys string = ''

@description('Jwt__Authority: the issuer URL (https); keys and issuer come from its /.well-known/openid-configuration and are refreshed without a restart.')
param jwtAuthority string = ''

@description('Jwt__JwksUri: a JWKS URL (https), for issuers without a discovery document. Set at most one of jwtAuthority and jwtJwksUri.')
param jwtJwksUri string = ''

@description('Jwt__KeysRefreshMinutes: how often the issuer\'s keys are fetched again.')
@minValue(5)
@maxValue(1440)
param jwtKeysRefreshMinutes int = 60

@description('Jwt__UnknownKeyRefreshSeconds: at most one extra key fetch per this many seconds for tokens naming an unknown kid.')
@minValue(1)
@maxValue(3600)
param jwtUnknownKeyRefreshSeconds int = 60

@description('Jwt__IssuerKeysMaxAgeHours: how long the issuer\'s keys stay in use after the last fetch that gave usable ones (then tokens that need them get 503 until a fetch succeeds).')
@minValue(1)
@maxValue(720)
param jwtIssuerKeysMaxAgeHours int = 24

@description('Jwt__Algorithms: comma-separated list of accepted signing algorithms (RS256/384/512, PS256/384/512, ES256/384/512).')
param jwtAlgorithms string = 'RS256'

@description('Jwt__ClockSkewSeconds: tolerance on exp/nbf, in seconds.')
@minValue(0)
@maxValue(300)
param jwtClockSkewSeconds int = 30

@description('Jwt__ExpiredTokenGraceDays: days after its expiry that a genuine access token may still revoke its own user\'s refresh token; 0 turns it off. Set it to the refresh tokens\' lifetime.')
@minValue(0)
@maxValue(365)
param jwtExpiredTokenGraceDays int = 30

@description('Jwt__Issuer: comma-separated accepted issuers; empty means the issuer is not checked.')
param jwtIssuer string = ''

@description('Jwt__Audience: comma-separated accepted audiences; required with jwtAuthority or jwtJwksUri (an issuer\'s keys sign tokens for other APIs too), otherwise empty means the audience is not checked.')
param jwtAudience string = ''

@description('Jwt__UserIdClaim: the claim that holds the user id.')
param jwtUserIdClaim string = 'sub'

@description('RefreshTokenTable: name of the refresh-token table (created here; the function never creates it).')
@minLength(3)
@maxLength(63)
param refreshTokenTableName string = 'RefreshTokens'

@description('RevocationTable: name of the revocation-marker table that a global logout writes (created here).')
@minLength(3)
@maxLength(63)
param revocationTableName string = 'RefreshTokenRevocations'

@description('Logout__AllowGlobal: serve scope=global (log out everywhere). Turn it on only when your refresh endpoint reads the revocation marker (docs/design.md, "Log out everywhere"); otherwise a global logout would answer 200 and end nothing but the one session.')
param allowGlobalLogout bool = false

@description('Origins allowed to call the API from a browser (CORS), comma-separated, e.g. "https://app.example.com,https://admin.example.com". Empty: no browser origin is allowed.')
param corsAllowedOrigins string = ''

@description('.NET version of the isolated worker on Flex Consumption (the app targets net10.0).')
param dotnetVersion string = '10.0'

@description('Upper bound of instances the app scales out to (Flex Consumption documents 40 as the lowest value, 1000 as the highest). Also bounds what one caller can make the app spend on the refresh-token store: see infra/README.md, "Abuse budget".')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Concurrent HTTP requests per instance before the platform adds an instance. Keep it equal to host.json\'s extensions.http.maxConcurrentRequests (16), the most one instance runs at once.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 16

@description('Instances kept running for the HTTP functions even when idle. 0 (default): scale to zero, a cold start after idle, nothing billed at idle; 1 removes cold starts for a baseline charge around the clock.')
@minValue(0)
@maxValue(40)
param alwaysReadyInstanceCount int = 0

@description('Memory of each instance, in MB; 512 is plenty for this function and the cheapest per second.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 512

@description('FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: the largest request body the Functions host reads, in bytes. The function refuses bodies over 64 KiB itself (413); above this limit the host answers 500 before reading the body, so an oversized post costs no memory. The host default is 100 MB.')
@minValue(65537)
param requestBodySizeLimitBytes int = 131072

@description('E-mail addresses that receive alerts (5xx rate, 503 rate, worker restarts), comma-separated. Empty (default): no action group and no alert rules are deployed.')
param alertEmailAddresses string = ''

@description('Reach the refresh-token account only through a private endpoint: a VNet, a private endpoint and private DNS zone for its Table service, the app\'s VNet integration, and public network access to that account disabled. The login / refresh endpoints then need a path into the VNet too.')
param privateDataStorage bool = false

@description('Put API Management in front of the function: it verifies tokens with the app\'s key configuration and limits logouts per verified subject and per client address (modules/api-management.bicep).')
param apiManagementEnabled bool = false

@description('Publisher e-mail of API Management (required when apiManagementEnabled).')
param apiManagementPublisherEmail string = ''

@description('API Management pricing tier (rate-limit-by-key is not available in Consumption).')
@allowed([
  'Developer'
  'Basic'
  'Standard'
  'Premium'
  'BasicV2'
  'StandardV2'
])
param apiManagementSku string = 'BasicV2'

@description('Logouts allowed per verified token subject per apiManagementRateLimitPeriodSeconds.')
@minValue(1)
param apiManagementRateLimitCalls int = 10

@description('Requests allowed per client address per apiManagementRateLimitPeriodSeconds, verified or not (many users may share one address).')
@minValue(1)
param apiManagementAddressRateLimitCalls int = 100

@description('Renewal period of the per-subject rate limit, in seconds.')
@minValue(1)
param apiManagementRateLimitPeriodSeconds int = 60

@description('Days Log Analytics keeps logs (30 is included in the ingestion price).')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Daily cap of Log Analytics ingestion, in GB (-1: no cap). Unauthenticated requests write never-sampled log entries, so a flood costs ingestion; past the cap nothing more is kept that day, the logout audit trail included. Size it from the logouts a day you expect: infra/README.md, "Log Analytics daily cap".')
@minValue(-1)
param logDailyCapGb int = 1

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'logout-function'
}
var deploymentContainerName = 'deployment-package'

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

var alertEmails = map(filter(split(alertEmailAddresses, ','), address => !empty(trim(address))), address => trim(address))

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

// The app's identity, created first so that its role assignments exist before the app starts.
module identity 'modules/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-logout-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    dailyCapGb: logDailyCapGb
  }
}

// The app's own storage: host state (keys, leases) and the deployment package.
module hostStorage 'modules/storage-account.bicep' = {
  name: 'host-storage'
  scope: rg
  params: {
    name: 'stfn${resourceToken}'
    location: location
    tags: tags
    containerNames: [
      deploymentContainerName
    ]
  }
}

// The data: the refresh-token table, shared with the login / refresh endpoints.
module dataStorage 'modules/storage-account.bicep' = {
  name: 'data-storage'
  scope: rg
  params: {
    name: 'strt${resourceToken}'
    location: location
    tags: tags
    tableNames: [
      refreshTokenTableName
      revocationTableName
    ]
    publicNetworkAccess: !privateDataStorage
  }
}

var tableEndpoint = dataStorage.outputs.tableEndpoint

// Private option: the app reaches the data account's Table service inside a VNet.
module network 'modules/network.bicep' = if (privateDataStorage) {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
  }
}

module dataStoragePrivateEndpoint 'modules/table-private-endpoint.bicep' = if (privateDataStorage) {
  name: 'data-storage-private-endpoint'
  scope: rg
  params: {
    storageAccountName: dataStorage.outputs.name
    virtualNetworkId: network!.outputs.id
    subnetId: network!.outputs.privateEndpointSubnetId
    location: location
    tags: tags
  }
}

// Every grant the app needs, made to the identity before the app exists (functionApp's
// dependsOn), so the first start does not race role creation.
// Host state and the deployment package: the host and the platform read and write blobs.
module hostStorageAccess 'modules/storage-role-assignment.bicep' = {
  name: 'host-storage-access'
  scope: rg
  params: {
    storageAccountName: hostStorage.outputs.name
    principalId: identity.outputs.principalId
    roleDefinitionId: storageBlobDataOwnerRoleId
    assignmentDescription: 'LogoutFunction host state and deployment package (Storage Blob Data Owner)'
  }
}

// The host writes its diagnostic events to tables in AzureWebJobsStorage; with an identity it
// needs this role there, and otherwise logs errors and stops recording them
// (Azure/azure-functions-host pull requests 10438 and 10996).
module hostStorageTableAccess 'modules/storage-role-assignment.bicep' = {
  name: 'host-storage-table-access'
  scope: rg
  params: {
    storageAccountName: hostStorage.outputs.name
    principalId: identity.outputs.principalId
    roleDefinitionId: storageTableDataContributorRoleId
    assignmentDescription: 'LogoutFunction host diagnostic events (Storage Table Data Contributor)'
  }
}

// The refresh-token table: the function deletes one entity per logout, so that is all it may do,
// on that table alone (a custom role; infra/README.md, "Who may do what").
module dataStorageAccess 'modules/table-entity-access.bicep' = {
  name: 'data-storage-access'
  scope: rg
  params: {
    storageAccountName: dataStorage.outputs.name
    tableName: refreshTokenTableName
    principalId: identity.outputs.principalId
    dataActions: [
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete'
    ]
    purpose: 'refresh-token delete'
  }
}

// The revocation markers: a global logout reads its user's marker, inserts it or updates it
// under its ETag; never a delete, and nothing on any other table.
module revocationMarkerAccess 'modules/table-entity-access.bicep' = {
  name: 'revocation-marker-access'
  scope: rg
  params: {
    storageAccountName: dataStorage.outputs.name
    tableName: revocationTableName
    principalId: identity.outputs.principalId
    dataActions: [
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/read'
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/add/action'
      'Microsoft.Storage/storageAccounts/tableServices/tables/entities/update/action'
    ]
    purpose: 'revocation-marker read, insert and update'
  }
}

// Telemetry with Entra ID: Application Insights has local authentication disabled.
module monitoringAccess 'modules/monitoring-role-assignment.bicep' = {
  name: 'monitoring-access'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
    roleDefinitionId: monitoringMetricsPublisherRoleId
    assignmentDescription: 'LogoutFunction telemetry (Monitoring Metrics Publisher)'
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    planName: 'plan-${resourceToken}'
    appName: 'func-logout-${resourceToken}'
    location: location
    tags: tags
    deploymentContainerUrl: '${hostStorage.outputs.blobEndpoint}${deploymentContainerName}'
    identityId: identity.outputs.id
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    alwaysReadyInstanceCount: alwaysReadyInstanceCount
    virtualNetworkSubnetId: privateDataStorage ? network!.outputs.appSubnetId : ''
    corsAllowedOrigins: map(filter(split(corsAllowedOrigins, ','), origin => !empty(trim(origin))), origin => trim(origin))
    appSettings: {
      // Host storage through the user-assigned identity (no AzureWebJobsStorage connection string).
      AzureWebJobsStorage__accountName: hostStorage.outputs.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
      // The host sends telemetry with this identity (Application Insights refuses keys).
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      // The identity for Azure SDK credentials in the worker (ManagedIdentityCredential and
      // DefaultAzureCredential read it), e.g. for the worker's own telemetry.
      AZURE_CLIENT_ID: identity.outputs.clientId
      // The refresh-token store through the user-assigned identity.
      RefreshTokenStorage__tableServiceUri: endsWith(tableEndpoint, '/') ? take(tableEndpoint, length(tableEndpoint) - 1) : tableEndpoint
      RefreshTokenStorage__clientId: identity.outputs.clientId
      RefreshTokenTable: refreshTokenTableName
      RevocationTable: revocationTableName
      Logout__AllowGlobal: string(allowGlobalLogout)
      Jwt__PublicKeys: jwtPublicKeys
      Jwt__Authority: jwtAuthority
      Jwt__JwksUri: jwtJwksUri
      Jwt__KeysRefreshMinutes: string(jwtKeysRefreshMinutes)
      Jwt__UnknownKeyRefreshSeconds: string(jwtUnknownKeyRefreshSeconds)
      Jwt__IssuerKeysMaxAgeHours: string(jwtIssuerKeysMaxAgeHours)
      Jwt__Algorithms: jwtAlgorithms
      Jwt__ClockSkewSeconds: string(jwtClockSkewSeconds)
      Jwt__ExpiredTokenGraceDays: string(jwtExpiredTokenGraceDays)
      Jwt__Issuer: jwtIssuer
      // The worker would refuse to start without it; the deployment says so first.
      Jwt__Audience: (!empty(trim(jwtAuthority)) || !empty(trim(jwtJwksUri))) && empty(trim(jwtAudience))
        ? fail('jwtAudience is required with jwtAuthority or jwtJwksUri: an issuer\'s keys sign tokens meant for other APIs too.')
        : jwtAudience
      Jwt__UserIdClaim: jwtUserIdClaim
      // The host buffers a whole body before the function sees it; without this, up to 100 MB each.
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(requestBodySizeLimitBytes)
    }
  }
  dependsOn: [
    hostStorageAccess
    hostStorageTableAccess
    dataStorageAccess
    revocationMarkerAccess
    monitoringAccess
    dataStoragePrivateEndpoint // private option: the table's private address exists before the app starts
  ]
}

module alerts 'modules/alerts.bicep' = if (!empty(alertEmails)) {
  name: 'alerts'
  scope: rg
  params: {
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    location: location
    tags: tags
    namePrefix: 'logout-${resourceToken}'
    emailAddresses: alertEmails
  }
}

module apiManagement 'modules/api-management.bicep' = if (apiManagementEnabled) {
  name: 'api-management'
  scope: rg
  params: {
    name: 'apim-logout-${resourceToken}'
    location: location
    tags: tags
    publisherEmail: apiManagementPublisherEmail
    publisherName: 'LogoutFunction'
    skuName: apiManagementSku
    functionHostName: functionApp.outputs.defaultHostName
    rateLimitCalls: apiManagementRateLimitCalls
    rateLimitRenewalPeriodSeconds: apiManagementRateLimitPeriodSeconds
    addressRateLimitCalls: apiManagementAddressRateLimitCalls
    userIdClaim: jwtUserIdClaim
    jwtAuthority: jwtAuthority
    jwtJwksUri: jwtJwksUri
    jwtPublicKeys: jwtPublicKeys
    jwtIssuer: jwtIssuer
    jwtAudience: jwtAudience
    clockSkewSeconds: jwtClockSkewSeconds + (jwtExpiredTokenGraceDays * 86400)
  }
}

@description('Resource group that holds everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app (the pipeline\'s FunctionAppName variable).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('The logout endpoint.')
output LOGOUT_URL string = 'https://${functionApp.outputs.defaultHostName}/api/logout'

@description('Object (principal) id of the app\'s user-assigned identity (grant it Key Vault Secrets User for a Key Vault reference).')
output AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId

@description('The logout endpoint through API Management; empty when API Management is not deployed.')
output APIM_LOGOUT_URL string = apiManagementEnabled ? apiManagement!.outputs.logoutUrl : ''

@description('Storage account that holds the refresh-token table (grant the login / refresh endpoints access here).')
output REFRESH_TOKEN_STORAGE_ACCOUNT string = dataStorage.outputs.name
