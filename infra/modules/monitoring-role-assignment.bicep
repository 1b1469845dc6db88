// Grants one built-in role to one principal, scoped to one Application Insights component.

@description('Name of the Application Insights component the role is scoped to.')
param applicationInsightsName string

@description('Object (principal) id of the identity that receives the role.')
param principalId string

@description('Id (GUID) of the built-in role definition.')
param roleDefinitionId string

@description('What the assignment is for, shown in the portal.')
param assignmentDescription string

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource roleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, principalId, roleDefinitionId)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: assignmentDescription
  }
}
