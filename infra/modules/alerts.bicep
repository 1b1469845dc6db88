// Log search alerts on the app's Application Insights, each notifying one action group by e-mail.
// Requests are never sampled (host.json excludes Request from sampling); traces may be, so
// every query sums itemCount, which counts what sampling dropped.

@description('Resource id of the Application Insights component the queries run against.')
param applicationInsightsId string

@description('Azure region of the alert rules (that of Application Insights).')
param location string

@description('Tags applied to the resources.')
param tags object

@description('Prefix of the rule names, e.g. the app name.')
param namePrefix string

@description('E-mail addresses the action group notifies (at least one).')
@minLength(1)
param emailAddresses string[]

@description('Alert when more than this percentage of requests answer 5xx over the window.')
param serverErrorPercent int = 5

@description('Alert when more than this percentage of requests answer 503 (refresh-token store unavailable) over the window.')
param unavailablePercent int = 1

@description('Fewer requests than this in a window never alert on a rate (one failure in three requests is not a trend).')
param minimumRequests int = 20

@description('Alert when the worker process exits unexpectedly at least this many times in a window.')
param workerExitCount int = 3

var evaluationFrequency = 'PT5M'
var windowSize = 'PT15M'

// The Functions host logs this (LogError, category Worker.rpcWorkerProcess.*) when the worker
// exits with a code other than 0 or the intentional-restart code, then starts a new one
// (azure-functions-host src/WebJobs.Script/Workers/Rpc/RpcWorkerProcess.cs,
// HandleWorkerProcessExitError; not logged when the host disposes the worker, e.g. on scale-in).
// The Application Insights logger writes an error with an exception to both the exceptions and
// the traces tables, the formatted message being the trace's message.
var workerExitMessage = 'Language Worker Process exited. Pid='

var rules = [
  {
    name: 'http-5xx-rate'
    displayName: 'Logout: 5xx answers above ${serverErrorPercent}%'
    description: 'More than ${serverErrorPercent}% of requests answered 5xx in ${windowSize} (at least ${minimumRequests} requests).'
    severity: 1
    query: 'requests\n| summarize total = sum(itemCount), failed = sumif(itemCount, toint(resultCode) >= 500)\n| where total >= ${minimumRequests} and failed * 100.0 / total > ${serverErrorPercent}'
  }
  {
    name: 'http-503-rate'
    displayName: 'Logout: unavailable (503) above ${unavailablePercent}%'
    description: 'More than ${unavailablePercent}% of requests answered 503 in ${windowSize} (at least ${minimumRequests} requests): the refresh-token store could not be reached, timed out, throttled past its retries or its table is missing, or the issuer\'s signing keys were never fetched (contract row 8; the logs say which).'
    severity: 1
    query: 'requests\n| summarize total = sum(itemCount), unavailable = sumif(itemCount, resultCode == "503")\n| where total >= ${minimumRequests} and unavailable * 100.0 / total > ${unavailablePercent}'
  }
  {
    name: 'worker-restarts'
    displayName: 'Logout: worker process keeps exiting'
    description: 'The Functions host restarted the .NET worker at least ${workerExitCount} times in ${windowSize} after it exited unexpectedly (crash, or a start-up refusal such as missing key settings).'
    severity: 1
    query: 'traces\n| where message startswith "${workerExitMessage}"\n| summarize exits = sum(itemCount)\n| where exits >= ${workerExitCount}'
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${namePrefix}-alerts'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'logout'
    enabled: true
    emailReceivers: [
      for (address, index) in emailAddresses: {
        name: 'email-${index}'
        emailAddress: address
        useCommonAlertSchema: true
      }
    ]
  }
}

// Each query returns one row only when its condition holds; the rule fires on any row.
resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        applicationInsightsId
      ]
      evaluationFrequency: evaluationFrequency
      windowSize: windowSize
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

@description('Resource id of the action group.')
output actionGroupId string = actionGroup.id
