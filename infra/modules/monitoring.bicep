// Log Analytics workspace + workspace-based Application Insights.
// The function app sends its telemetry here through APPLICATIONINSIGHTS_CONNECTION_STRING,
// authenticated with its managed identity: local (instrumentation-key) authentication is off,
// so the connection string alone cannot be used to send, or forge, telemetry.

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region of both resources.')
param location string

@description('Tags applied to both resources.')
param tags object

@description('Days the workspace keeps logs (30 is included in the ingestion price).')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Most GB the workspace ingests per day (-1: no cap). Past it, ingestion stops until the daily reset, the audit trail included.')
@minValue(-1)
param dailyCapGb int

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    // Anyone can make the app write a never-sampled log entry (a junk request gets a 401 and
    // its line): the cap bounds what such a flood costs.
    workspaceCapping: {
      dailyQuotaGb: dailyCapGb
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
  }
}

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name

@description('Resource id of the Application Insights component (the scope of the log alerts).')
output applicationInsightsId string = applicationInsights.id

@description('Connection string of the Application Insights component (an ingestion endpoint and key, not a credential to read data).')
output applicationInsightsConnectionString string = applicationInsights.properties.ConnectionString
