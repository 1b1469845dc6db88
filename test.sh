#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs Azurite (npm ci), restores, builds in
# Release, checks whitespace formatting, and runs every test (unit, Azurite-backed store,
# end-to-end through the real worker, offline infrastructure checks). Tests start and stop
# their own Azurite and worker processes on free 127.0.0.1 ports. Results: TestResults/*.trx
# and Cobertura coverage.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "test.sh: Node.js with npm is required (for Azurite)" >&2; exit 1; }

npm ci --no-audit --no-fund --loglevel=error
dotnet restore LogoutFunction.sln
dotnet build LogoutFunction.sln -c Release --no-restore
dotnet format whitespace LogoutFunction.sln --verify-no-changes
rm -rf TestResults
status=0
dotnet test LogoutFunction.sln -c Release --no-build \
  --results-directory TestResults --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=normal" \
  --collect "XPlat Code Coverage" "$@" || status=$?

# One plain summary line from the TRX counters, whatever the runner printed above.
if trx=$(ls TestResults/*.trx 2>/dev/null | head -n 1) && [ -n "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  count() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  echo "$(count passed) passed, $(count failed) failed"
fi
exit "$status"
