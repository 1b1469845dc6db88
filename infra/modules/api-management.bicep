// Optional: API Management in front of the function: it verifies the bearer token with the
// function's own key configuration, then limits each verified subject to a number of logouts per
// period and every client address to a larger number (rate-limit-by-key; the policy is
// api-management-policy.xml). Off by default (main.bicep: apiManagementEnabled). The function
// stays reachable at its own host name: restrict its inbound access to API Management to make
// the limit binding (infra/README.md).

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

@description('Requests allowed per client address per renewal period, verified or not.')
@minValue(1)
param addressRateLimitCalls int

@description('Claim that holds the user id (the app\'s Jwt__UserIdClaim).')
param userIdClaim string

@description('The app\'s Jwt__Authority: the gateway reads keys and issuer from its discovery document too.')
param jwtAuthority string

@description('The app\'s Jwt__JwksUri: the gateway cannot read a bare JWKS URL (its validate-jwt takes a discovery document or keys).')
param jwtJwksUri string

@description('The app\'s Jwt__PublicKeys: for the gateway, a JWKS document of RSA keys (it takes modulus and exponent; tools/DevTokens "jwks" turns PEM keys into one).')
param jwtPublicKeys string

@description('The app\'s Jwt__Issuer (comma-separated).')
param jwtIssuer string

@description('The app\'s Jwt__Audience (comma-separated).')
param jwtAudience string

@description('The app\'s clock skew plus its expired-token grace, in seconds: the gateway lets through what the function may accept.')
@minValue(0)
param clockSkewSeconds int

func xmlText(value string) string => replace(replace(replace(replace(value, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')

// JWKS members are base64url without padding; the policy's key attributes are standard base64.
func standardBase64(value string) string =>
  '${replace(replace(value, '-', '+'), '_', '/')}${take('==', (4 - length(value) % 4) % 4)}'

func listOf(value string) string[] => map(filter(split(value, ','), item => !empty(trim(item))), item => trim(item))

var authority = trim(jwtAuthority)
var publicKeys = trim(jwtPublicKeys)
var jwks = empty(publicKeys)
  ? []
  : startsWith(publicKeys, '{')
      ? json(publicKeys).keys
      : fail(startsWith(publicKeys, '@Microsoft.KeyVault')
          ? 'API Management verifies tokens itself and cannot resolve a Key Vault reference in jwtPublicKeys: give the JWKS document itself, or jwtAuthority.'
          : 'API Management verifies tokens itself and needs jwtPublicKeys as a JWKS document of RSA keys, not PEM (tools/DevTokens "jwks" converts them), or jwtAuthority.')
var signingKeys = map(
  filter(jwks, key => (key.?use ?? 'sig') == 'sig'),
  key => key.kty == 'RSA'
    ? '<key${empty(key.?kid ?? '') ? '' : ' id="${xmlText(key.?kid ?? '')}"'} n="${standardBase64(key.n)}" e="${standardBase64(key.e)}" />'
    : fail('API Management takes RSA keys only (modulus and exponent); jwtPublicKeys holds a key of type ${key.kty}.')
)
var openIdConfiguration = empty(authority)
  ? ''
  : '<openid-config url="${xmlText(endsWith(authority, '/') ? take(authority, length(authority) - 1) : authority)}/.well-known/openid-configuration" />'
var keysXml = empty(authority) && empty(signingKeys)
  ? fail(empty(trim(jwtJwksUri))
      ? 'API Management needs jwtAuthority or jwtPublicKeys to verify tokens.'
      : 'API Management cannot read a bare JWKS URL (jwtJwksUri): give jwtAuthority, or the keys in jwtPublicKeys.')
  : '${openIdConfiguration}${empty(signingKeys) ? '' : '<issuer-signing-keys>${join(signingKeys, '')}</issuer-signing-keys>'}'

// The issuer the function accepts: Jwt__Issuer, else (with an authority) the authority itself,
// which is what the discovery document must name.
var issuers = !empty(listOf(jwtIssuer)) ? listOf(jwtIssuer) : empty(authority) ? [] : [authority]
var issuersXml = empty(issuers) ? '' : '<issuers>${join(map(issuers, issuer => '<issuer>${xmlText(issuer)}</issuer>'), '')}</issuers>'
var audiences = listOf(jwtAudience)
var audiencesXml = empty(audiences) ? '' : '<audiences>${join(map(audiences, audience => '<audience>${xmlText(audience)}</audience>'), '')}</audiences>'

var placeholders = {
  __ADDRESS_CALLS__: string(addressRateLimitCalls)
  __CALLS__: string(rateLimitCalls)
  __RENEWAL_PERIOD__: string(rateLimitRenewalPeriodSeconds)
  __CLOCK_SKEW__: string(clockSkewSeconds)
  __USER_ID_CLAIM__: userIdClaim
  __KEYS__: keysXml
  __AUDIENCES__: audiencesXml
  __ISSUERS__: issuersXml
}
var policy = reduce(items(placeholders), loadTextContent('api-management-policy.xml'), (text, placeholder) => replace(text, placeholder.key, placeholder.value))

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
