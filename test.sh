#!/usr/bin/env bash
# The test suite, from a fresh clone (docs/testing.md).
#   ./test.sh          everything, as CI runs it: installs Azurite (npm ci), restores, builds in
#                      Release, checks whitespace formatting, and runs every test project (unit,
#                      Azurite-backed store, end to end through the real worker, the emulator,
#                      delivery: infra/, the pipeline, the scripts). Results: TestResults/*.trx
#                      and Cobertura coverage.
#   ./test.sh --fast   the inner loop: the app's tests that need no worker process, no load and no
#                      Azure tooling (unit, the store against Azurite, the endpoint in process),
#                      and DevTokens'; builds only what they need, installs Azurite only if missing.
# Other arguments go to dotnet test (e.g. --filter). Tests start and stop their own Azurite and
# worker processes on free 127.0.0.1 ports.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "test.sh: Node.js with npm is required (for Azurite)" >&2; exit 1; }

fast=0
if [[ "${1:-}" == "--fast" ]]; then
  fast=1
  shift
fi

rm -rf TestResults
status=0
if [[ $fast -eq 1 ]]; then
  [[ -x node_modules/.bin/azurite-table ]] || npm ci --no-audit --no-fund --loglevel=error
  for project in LogoutFunction.Tests tools/DevTokens.Tests; do
    dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
    dotnet test "$project" -c Release --no-build --results-directory TestResults --logger trx \
      --filter "Category!=EndToEnd" "$@" || status=$?
  done
else
  npm ci --no-audit --no-fund --loglevel=error
  dotnet restore LogoutFunction.sln
  dotnet build LogoutFunction.sln -c Release --no-restore
  dotnet format whitespace LogoutFunction.sln --verify-no-changes
  dotnet test LogoutFunction.sln -c Release --no-build \
    --results-directory TestResults --logger trx --logger "console;verbosity=normal" \
    --collect "XPlat Code Coverage" "$@" || status=$?
fi

# One plain summary line from the TRX counters of every test project, whatever the runners printed above.
passed=0 failed=0
for trx in TestResults/*.trx; do
  [[ -e "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  count() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(count passed))) failed=$((failed + $(count failed)))
done
echo "$passed passed, $failed failed"
exit "$status"
