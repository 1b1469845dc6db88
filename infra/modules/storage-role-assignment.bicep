// Grants one built-in role to one principal, scoped to one storage account.

@description('Name of the storage account the role is scoped to.')
param storageAccountName string

@description('Object (principal) id of the identity that receives the role.')
param principalId string

@description('Id (GUID) of the built-in role definition.')
param roleDefinitionId string

@description('What the assignment is for, shown in the portal.')
param assignmentDescription string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleDefinitionId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: assignmentDescription
  }
}
