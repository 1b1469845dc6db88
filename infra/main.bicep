// LogoutFunction: everything POST /api/logout needs in Azure, in one resource group.
//
//   function app (Flex Consumption, Linux, .NET isolated, system-assigned identity)
//     -> host storage account: host state (AzureWebJobsStorage) + deployment package   [Storage Blob Data Owner]
//     -> data storage account: the refresh-token table                                 [Storage Table Data Contributor]
//     -> Application Insights (workspace-based, Log Analytics)
//
// Both storage accounts refuse shared keys: the app reaches them with its managed identity
// only, so no storage connection string or key exists anywhere. Self-contained (no registry
// modules), so `bicep build infra/main.bicep` works offline.
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

@description('Jwt__Algorithms: comma-separated list of accepted signing algorithms (RS256/384/512, PS256/384/512, ES256/384/512).')
param jwtAlgorithms string = 'RS256'

@description('Jwt__ClockSkewSeconds: tolerance on exp/nbf, in seconds.')
@minValue(0)
@maxValue(300)
param jwtClockSkewSeconds int = 30

@description('Jwt__Issuer: comma-separated accepted issuers; empty means the issuer is not checked.')
param jwtIssuer string = ''

@description('Jwt__Audience: comma-separated accepted audiences; empty means the audience is not checked.')
param jwtAudience string = ''

@description('Jwt__UserIdClaim: the claim that holds the user id.')
param jwtUserIdClaim string = 'sub'

@description('RefreshTokenTable: name of the refresh-token table (created here; the function never creates it).')
@minLength(3)
@maxLength(63)
param refreshTokenTableName string = 'RefreshTokens'

@description('Origins allowed to call the API from a browser (CORS), comma-separated, e.g. "https://app.example.com,https://admin.example.com". Empty: no browser origin is allowed.')
param corsAllowedOrigins string = ''

@description('.NET version of the isolated worker on Flex Consumption (the app targets net10.0).')
param dotnetVersion string = '10.0'

@description('Upper bound of instances the app scales out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

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

@description('Days Log Analytics keeps logs (30 is included in the ingestion price).')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'logout-function'
}
var deploymentContainerName = 'deployment-package'

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
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
    ]
  }
}

var tableEndpoint = dataStorage.outputs.tableEndpoint

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    planName: 'plan-${resourceToken}'
    appName: 'func-logout-${resourceToken}'
    location: location
    tags: tags
    deploymentContainerUrl: '${hostStorage.outputs.blobEndpoint}${deploymentContainerName}'
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    corsAllowedOrigins: map(filter(split(corsAllowedOrigins, ','), origin => !empty(trim(origin))), origin => trim(origin))
    appSettings: {
      // Host storage through the managed identity (no AzureWebJobsStorage connection string).
      AzureWebJobsStorage__accountName: hostStorage.outputs.name
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
      // The refresh-token store through the managed identity (DefaultAzureCredential).
      RefreshTokenStorage__tableServiceUri: endsWith(tableEndpoint, '/') ? take(tableEndpoint, length(tableEndpoint) - 1) : tableEndpoint
      RefreshTokenTable: refreshTokenTableName
      Jwt__PublicKeys: jwtPublicKeys
      Jwt__Authority: jwtAuthority
      Jwt__JwksUri: jwtJwksUri
      Jwt__KeysRefreshMinutes: string(jwtKeysRefreshMinutes)
      Jwt__UnknownKeyRefreshSeconds: string(jwtUnknownKeyRefreshSeconds)
      Jwt__Algorithms: jwtAlgorithms
      Jwt__ClockSkewSeconds: string(jwtClockSkewSeconds)
      Jwt__Issuer: jwtIssuer
      Jwt__Audience: jwtAudience
      Jwt__UserIdClaim: jwtUserIdClaim
      // The host buffers a whole body before the function sees it; without this, up to 100 MB each.
      FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(requestBodySizeLimitBytes)
    }
  }
}

// Host state and the deployment package: the host and the platform read and write blobs.
module hostStorageAccess 'modules/storage-role-assignment.bicep' = {
  name: 'host-storage-access'
  scope: rg
  params: {
    storageAccountName: hostStorage.outputs.name
    principalId: functionApp.outputs.principalId
    roleDefinitionId: storageBlobDataOwnerRoleId
    assignmentDescription: 'LogoutFunction host state and deployment package (Storage Blob Data Owner)'
  }
}

// The refresh-token table: the function deletes entities (and nothing else needs more).
module dataStorageAccess 'modules/storage-role-assignment.bicep' = {
  name: 'data-storage-access'
  scope: rg
  params: {
    storageAccountName: dataStorage.outputs.name
    principalId: functionApp.outputs.principalId
    roleDefinitionId: storageTableDataContributorRoleId
    assignmentDescription: 'LogoutFunction refresh-token table (Storage Table Data Contributor)'
  }
}

@description('Resource group that holds everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app (the pipeline\'s FunctionAppName variable).')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('The logout endpoint.')
output LOGOUT_URL string = 'https://${functionApp.outputs.defaultHostName}/api/logout'

@description('Storage account that holds the refresh-token table (grant the login / refresh endpoints access here).')
output REFRESH_TOKEN_STORAGE_ACCOUNT string = dataStorage.outputs.name
