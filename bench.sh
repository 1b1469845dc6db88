#!/usr/bin/env bash
# Benchmarks, each figure beside its floor from the same run (bash; see docs/performance.md):
#   1. the in-process micro-benchmarks (BenchmarkDotNet, benchmarks/LogoutFunction.Benchmarks);
#   2. the published apps side by side under the host emulator, on 127.0.0.1, several rounds,
#      medians (benchmarks/SideBySide), written into docs/performance.md.
# Needs the .NET SDK and wrk (Debian: apt-get install wrk). --smoke runs everything once,
# briefly: it shows that the benchmarks run, and its figures mean nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

smoke=0
rounds=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }

published=artifacts/bench
micro=artifacts/benchmarkdotnet
rm -rf "$published" "$micro"

echo "==> In-process micro-benchmarks, each beside its floor (BenchmarkDotNet)"
micro_smoke=()
[[ $smoke -eq 1 ]] && micro_smoke=(--smoke)
dotnet run -c Release --project benchmarks/LogoutFunction.Benchmarks -- \
  --filter '*' --exporters github --artifacts "$micro" "${micro_smoke[@]}"

publish() { dotnet publish "$1" -c Release -o "$published/$2" -v quiet -nologo >/dev/null; }

echo "==> Publishing the apps (dotnet publish -c Release, as the pipeline does)"
publish LogoutFunction logout
publish benchmarks/Floors/NoOpFunction noop
publish benchmarks/Floors/NoOpAspNetCoreFunction noop-aspnetcore
publish benchmarks/Floors/TableDeleteFunction table-delete
publish benchmarks/Floors/VerifyAndLogFunction verify-and-log

echo "==> Side by side under the host emulator"
side_by_side=(dotnet run -c Release --project benchmarks/SideBySide -- --apps "$published")
if [[ $smoke -eq 1 ]]; then
  "${side_by_side[@]}" --smoke
else
  "${side_by_side[@]}" --rounds "$rounds" --report docs/performance.md --micro-results "$micro/results"
fi
