// The virtual network of the private-data option: one subnet for private endpoints, one
// delegated to Flex Consumption's VNet integration (delegation Microsoft.App/environments,
// as in Azure-Samples/functions-quickstart-dotnet-azd infra/app/vnet.bicep).

@description('Name of the virtual network.')
param name string

@description('Azure region of the network.')
param location string

@description('Tags applied to the network.')
param tags object

var privateEndpointSubnetName = 'private-endpoints'
var appSubnetName = 'app'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: '10.0.1.0/24'
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        name: appSubnetName
        properties: {
          addressPrefix: '10.0.2.0/24'
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          // With VNet integration the app's outbound traffic leaves through this subnet: host
          // storage, Application Insights and the JWT issuer stay public. New subnets default
          // to no implicit outbound access, so it is asked for explicitly (a NAT gateway is
          // the production alternative, see infra/README.md).
          defaultOutboundAccess: true
        }
      }
    ]
  }
}

@description('Resource id of the virtual network.')
output id string = vnet.id

@description('Resource id of the subnet that holds private endpoints.')
output privateEndpointSubnetId string = '${vnet.id}/subnets/${privateEndpointSubnetName}'

@description('Resource id of the subnet delegated to the function app\'s VNet integration.')
output appSubnetId string = '${vnet.id}/subnets/${appSubnetName}'
