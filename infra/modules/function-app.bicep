// The Flex Consumption plan and the function app (Linux, .NET isolated worker), running as a
// user-assigned managed identity, with no basic-auth publishing credentials.
// Follows Azure-Samples/functions-quickstart-dotnet-azd (infra/app/api.bicep), written out
// without registry modules.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (also its host name: <name>.azurewebsites.net).')
param appName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app (the app also gets the azd service tag).')
param tags object

@description('Blob container URL of the deployment package, e.g. https://<account>.blob.core.windows.net/deployment-package.')
param deploymentContainerUrl string

@description('.NET version of the isolated worker (functionAppConfig.runtime.version).')
param dotnetVersion string

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Upper bound of instances the app scales out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Concurrent HTTP requests per instance before the platform adds one (functionAppConfig.scaleAndConcurrency.triggers.http.perInstanceConcurrency).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

@description('Instances kept running for the HTTP functions even when idle (billed around the clock); 0: scale to zero.')
@minValue(0)
param alwaysReadyInstanceCount int

@description('Resource id of the subnet for VNet integration (delegated to Microsoft.App/environments); empty: none.')
param virtualNetworkSubnetId string = ''

@description('Origins allowed to call the API from a browser (CORS), e.g. https://app.example.com.')
param corsAllowedOrigins string[]

@description('Application settings of the app, as name: value pairs.')
param appSettings object

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    // Key Vault references (e.g. Jwt__PublicKeys) resolve with this identity; the default is the
    // system-assigned identity, which this app does not have.
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: !empty(virtualNetworkSubnetId) ? virtualNetworkSubnetId : null
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // HTTP/1.1 only between clients and the front end: over HTTP/2 a body may come with neither
      // Content-Length nor Transfer-Encoding, the host forwards a body only with a Content-Length,
      // and the function could not tell the body was lost (docs/contract.md, "HTTP/2 and Content-Length").
      http20Enabled: false
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
      // On Flex Consumption the worker runtime is functionAppConfig.runtime, not the
      // FUNCTIONS_WORKER_RUNTIME app setting, and FUNCTIONS_EXTENSION_VERSION is set by the platform.
      appSettings: [
        for setting in items(appSettings): {
          name: setting.key
          value: setting.value
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // 'http' is the group of all HTTP-triggered functions.
        alwaysReady: alwaysReadyInstanceCount > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstanceCount
              }
            ]
          : []
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
    }
  }
}

// No username/password deployment: FTP and SCM (Kudu) basic-auth publishing are off, so
// deployments authenticate with Microsoft Entra ID (azd, the pipeline's service connection).
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Default host name, <name>.azurewebsites.net.')
output defaultHostName string = functionApp.properties.defaultHostName
