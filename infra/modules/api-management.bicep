// Optional: API Management in front of the function, limiting each token subject to a number of
// logouts per period (rate-limit-by-key; the policy is api-management-policy.xml). Off by
// default (main.bicep: apiManagementEnabled). The function stays reachable at its own host
// name: restrict its inbound access to API Management to make the limit binding (infra/README.md).

@description('Name of the API Management service (globally unique: <name>.azure-api.net).')
param name string

@description('Azure region of the service.')
param location string

@description('Tags applied to the service.')
param tags object

@description('E-mail address of the publisher (API Management requires one; it receives system notifications).')
@minLength(1)
param publisherEmail string

@description('Name of the publisher.')
param publisherName string

@description('Pricing tier. rate-limit-by-key is not available in the Consumption tier.')
@allowed([
  'Developer'
  'Basic'
  'Standard'
  'Premium'
  'BasicV2'
  'StandardV2'
])
param skuName string

@description('Host name of the function app, e.g. func-logout-xyz.azurewebsites.net.')
param functionHostName string

@description('Logouts allowed per subject per renewal period.')
@minValue(1)
param rateLimitCalls int

@description('Renewal period of the rate limit, in seconds.')
@minValue(1)
param rateLimitRenewalPeriodSeconds int

@description('Claim that holds the user id (the app\'s Jwt__UserIdClaim).')
param userIdClaim string

var policy = replace(
  replace(
    replace(loadTextContent('api-management-policy.xml'), '__CALLS__', string(rateLimitCalls)),
    '__RENEWAL_PERIOD__',
    string(rateLimitRenewalPeriodSeconds)
  ),
  '__USER_ID_CLAIM__',
  userIdClaim
)

resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: 1
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
  }
}

// Same path as on the function (/api/logout); no subscription key: the bearer token is the credential.
resource api 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'logout'
  properties: {
    displayName: 'Logout'
    path: 'api'
    protocols: [
      'https'
    ]
    serviceUrl: 'https://${functionHostName}/api'
    subscriptionRequired: false
  }
}

resource logoutOperation 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = {
  parent: api
  name: 'logout'
  properties: {
    displayName: 'Log out'
    method: 'POST'
    urlTemplate: '/logout'
  }
}

// Browsers send a CORS preflight; it is forwarded so that the function app's CORS settings answer it.
resource preflightOperation 'Microsoft.ApiManagement/service/apis/operations@2024-05-01' = {
  parent: api
  name: 'logout-preflight'
  properties: {
    displayName: 'Log out (CORS preflight)'
    method: 'OPTIONS'
    urlTemplate: '/logout'
  }
}

resource logoutPolicy 'Microsoft.ApiManagement/service/apis/operations/policies@2024-05-01' = {
  parent: logoutOperation
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: policy
  }
}

@description('The logout endpoint through API Management.')
output logoutUrl string = '${apim.properties.gatewayUrl}/api/logout'
