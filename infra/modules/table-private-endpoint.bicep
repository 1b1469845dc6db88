// A private endpoint for the Table service of one storage account, with the private DNS zone
// privatelink.table.<storage suffix> linked to the virtual network, so that
// <account>.table.core.windows.net resolves to the private address inside the network.

@description('Name of the storage account.')
param storageAccountName string

@description('Resource id of the virtual network the DNS zone is linked to.')
param virtualNetworkId string

@description('Resource id of the subnet that holds the private endpoint.')
param subnetId string

@description('Azure region of the private endpoint.')
param location string

@description('Tags applied to the resources.')
param tags object

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource dnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.table.${environment().suffixes.storage}'
  location: 'global'
  tags: tags
}

resource dnsZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: dnsZone
  name: '${storageAccountName}-table'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: virtualNetworkId
    }
  }
}

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-table-${storageAccountName}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'table'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: [
            'table'
          ]
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'table'
        properties: {
          privateDnsZoneId: dnsZone.id
        }
      }
    ]
  }
}
