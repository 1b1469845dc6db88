// One table, only the entity operations named here: a custom role with exactly these data
// actions, assigned to one principal on one table. Storage Table Data Contributor (read, insert,
// update, delete, on every table of the account) would let whoever obtains the identity's token
// read every refresh-token row and insert one for any user, which the refresh endpoint would
// honour. Which operation needs which data action: "Permissions for calling data operations",
// https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory
// (Delete Entity: entities/delete; Query Entities: entities/read; Insert Entity:
// entities/add/action; Update Entity: entities/update/action). Creating the role takes
// Microsoft.Authorization/roleDefinitions/write (Owner or User Access Administrator) on the
// resource group.

@description('Name of the storage account that holds the table.')
param storageAccountName string

@description('Name of the table the role is assigned on.')
param tableName string

@description('Object (principal) id of the identity that receives the role.')
param principalId string

@description('The role\'s data actions, and nothing else.')
param dataActions string[]

@description('What the role is for, in a few words; the role\'s name adds the subscription and group, since role names are unique per directory.')
param purpose string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' existing = {
  parent: storage
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' existing = {
  parent: tableService
  name: tableName
}

// Assignable in this resource group only.
resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, join(dataActions, ','))
  properties: {
    roleName: 'LogoutFunction ${purpose} (${subscription().subscriptionId}/${resourceGroup().name})'
    description: 'Only these entity operations: the logout function\'s right on one table (${purpose}).'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: dataActions
        notDataActions: []
      }
    ]
  }
}

// A role definition lives at the subscription, whatever scope it was deployed at: its id is given
// in that form, as for built-in roles.
var roleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.name)

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(table.id, principalId, roleId)
  scope: table
  properties: {
    roleDefinitionId: roleId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'LogoutFunction ${tableName} table (${purpose})'
  }
}

@description('Resource id of the custom role.')
output roleDefinitionId string = roleId
