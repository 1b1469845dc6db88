# The whole test suite on Windows (PowerShell 7+), the twin of ./test.sh: installs Azurite
# (npm ci), restores, builds in Release, checks whitespace formatting and runs every test.
# Tests start and stop their own Azurite and worker processes on free 127.0.0.1 ports.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

foreach ($tool in 'dotnet', 'npm') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "test.ps1: $tool is required (the .NET 10 SDK; Node.js with npm for Azurite)" }
}

function Invoke-Step([string] $command, [string[]] $arguments) {
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "test.ps1: '$command $arguments' failed with exit code $LASTEXITCODE" }
}

Invoke-Step npm @('ci', '--no-audit', '--no-fund', '--loglevel=error')
Invoke-Step dotnet @('restore', 'LogoutFunction.sln')
Invoke-Step dotnet @('build', 'LogoutFunction.sln', '-c', 'Release', '--no-restore')
Invoke-Step dotnet @('format', 'whitespace', 'LogoutFunction.sln', '--verify-no-changes')
if (Test-Path TestResults) { Remove-Item -Recurse -Force TestResults }
& dotnet test LogoutFunction.sln -c Release --no-build --results-directory TestResults `
    --logger 'trx;LogFileName=tests.trx' --logger 'console;verbosity=normal' --collect 'XPlat Code Coverage' @args
exit $LASTEXITCODE
