// The refresh-token table, delete only: a custom role whose one data action deletes entities,
// assigned to one principal on one table. Storage Table Data Contributor (read, insert, update,
// delete, on every table of the account) would let whoever obtains the identity's token read
// every refresh-token row and insert one for any user, which the refresh endpoint would honour.
// Deleting one entity, If-Match: * included, needs only this data action: "Permissions for
// calling data operations", https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory
// maps Delete Entity to Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete.
// Creating the role takes Microsoft.Authorization/roleDefinitions/write (Owner or User Access
// Administrator) on the resource group.

@description('Name of the storage account that holds the table.')
param storageAccountName string

@description('Name of the table the role is assigned on.')
param tableName string

@description('Object (principal) id of the identity that receives the role.')
param principalId string

var deleteEntities = 'Microsoft.Storage/storageAccounts/tableServices/tables/entities/delete'

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

// Assignable in this resource group only. Role names are unique per directory, hence the
// subscription and group in it.
resource deleteOnly 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, deleteEntities)
  properties: {
    roleName: 'LogoutFunction refresh-token delete (${subscription().subscriptionId}/${resourceGroup().name})'
    description: 'Deletes table entities, nothing else: the logout function\'s right on the refresh-token table.'
    type: 'CustomRole'
    assignableScopes: [
      resourceGroup().id
    ]
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          deleteEntities
        ]
        notDataActions: []
      }
    ]
  }
}

// A role definition lives at the subscription, whatever scope it was deployed at: its id is given
// in that form, as for built-in roles.
var deleteOnlyId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', deleteOnly.name)

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(table.id, principalId, deleteOnlyId)
  scope: table
  properties: {
    roleDefinitionId: deleteOnlyId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'LogoutFunction refresh-token table (delete entities only)'
  }
}

@description('Resource id of the custom role.')
output roleDefinitionId string = deleteOnlyId
