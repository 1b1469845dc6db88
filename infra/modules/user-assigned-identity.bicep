// The app's user-assigned managed identity. It exists before the app, so its role assignments
// can be created (and start propagating) before the app first starts; a system-assigned
// identity only exists once the app does, which makes the first start race the grants.

@description('Name of the identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client (application) id: what the app passes to its credential to pick this identity.')
output clientId string = identity.properties.clientId

@description('Object (principal) id: what role assignments name.')
output principalId string = identity.properties.principalId
