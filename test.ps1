# The test suite on Windows (PowerShell 7+), the twin of ./test.sh (docs/testing.md):
#   ./test.ps1         everything: installs Azurite (npm ci), restores, builds in Release, checks
#                      whitespace formatting and runs every test project.
#   ./test.ps1 -Fast   the inner loop: the app's tests that need no worker process, no load and no
#                      Azure tooling, and DevTokens'.
# Tests start and stop their own Azurite and worker processes on free 127.0.0.1 ports.
param([switch] $Fast)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

foreach ($tool in 'dotnet', 'npm') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "test.ps1: $tool is required (the .NET 10 SDK; Node.js with npm for Azurite)" }
}

function Invoke-Step([string] $command, [string[]] $arguments) {
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "test.ps1: '$command $arguments' failed with exit code $LASTEXITCODE" }
}

if (Test-Path TestResults) { Remove-Item -Recurse -Force TestResults }
$status = 0
if ($Fast) {
    if (-not (Test-Path node_modules/.bin/azurite-table)) { Invoke-Step npm @('ci', '--no-audit', '--no-fund', '--loglevel=error') }
    foreach ($project in 'LogoutFunction.Tests', 'tools/DevTokens.Tests') {
        Invoke-Step dotnet @('build', $project, '-c', 'Release', '--nologo', '-v', 'quiet')
        & dotnet test $project -c Release --no-build --results-directory TestResults --logger trx --filter 'Category!=EndToEnd' @args
        if ($LASTEXITCODE -ne 0) { $status = $LASTEXITCODE }
    }
}
else {
    Invoke-Step npm @('ci', '--no-audit', '--no-fund', '--loglevel=error')
    Invoke-Step dotnet @('restore', 'LogoutFunction.sln')
    Invoke-Step dotnet @('build', 'LogoutFunction.sln', '-c', 'Release', '--no-restore')
    Invoke-Step dotnet @('format', 'whitespace', 'LogoutFunction.sln', '--verify-no-changes')
    & dotnet test LogoutFunction.sln -c Release --no-build --results-directory TestResults `
        --logger trx --logger 'console;verbosity=normal' --collect 'XPlat Code Coverage' @args
    $status = $LASTEXITCODE
}
exit $status
