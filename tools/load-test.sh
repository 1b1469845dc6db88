#!/usr/bin/env bash
# Load test of POST /api/logout through the real worker (Release build, host emulator) on
# 127.0.0.1, with its own in-memory Azurite. Each scenario is a fixed number of requests
# (bounded), and the floor, the cheapest answer the app can give (401, no token: no crypto,
# no storage), is measured in the same run so the other figures can be read against it.
# Needs `hey` (Debian: apt-get install hey).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

requests="${REQUESTS:-20000}"
concurrency="${CONCURRENCY:-32}"
command -v hey >/dev/null || { echo "error: hey is not installed (apt-get install hey)" >&2; exit 1; }
[[ -x node_modules/.bin/azurite-table ]] || npm ci --no-audit --no-fund --loglevel=error

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Sets the named variable to a port nothing listens on; no command substitution, since a
# subshell would repeat the same $RANDOM.
pick_port() { local p; for _ in $(seq 1 50); do p=$((20000 + RANDOM % 30000)); listening "$p" || { printf -v "$1" '%s' "$p"; return 0; }; done; return 1; }
wait_for() { for _ in $(seq 1 150); do listening "$1" && return 0; sleep 0.2; done; echo "error: nothing on port $1" >&2; return 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${KEEP:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "==> Building (Release)"
dotnet build LogoutFunction.sln -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
devtokens() { dotnet tools/DevTokens/bin/Release/net10.0/DevTokens.dll "$@"; }

pick_port table_port
node node_modules/azurite/dist/src/table/main.js --tableHost 127.0.0.1 --tablePort "$table_port" --inMemoryPersistence --skipApiVersionCheck >"$work/azurite.log" 2>&1 &
pids+=($!)
wait_for "$table_port"
export RefreshTokenStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
devtokens keygen --dir "$work/keys" >/dev/null
devtokens create-table >/dev/null
export Jwt__PublicKeys="$(cat "$work/keys/public.pem")"

pick_port app_port
dotnet tools/FunctionsHostEmulator/bin/Release/net10.0/FunctionsHostEmulator.dll \
  --app LogoutFunction/bin/Release/net10.0 --port "$app_port" >"$work/app.log" 2>&1 &
pids+=($!)
url="http://127.0.0.1:$app_port/api/logout"
# The port opens before the worker has loaded its functions; ready means the function answers.
for _ in $(seq 1 150); do [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url")" == 401 ]] && break; sleep 0.2; done
token="$(devtokens mint --user loadtest --dir "$work/keys")"

scenario() {
  local name="$1"; shift
  local out; out="$(hey -n "$requests" -c "$concurrency" "$@" "$url")"; [[ -n "${KEEP:-}" ]] && printf "%s\n" "$out" >>"$work/hey.log"
  local rps p50 p99 codes
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '/50% in/ {print $3*1000}' <<<"$out")"
  p99="$(awk '/99% in/ {print $3*1000}' <<<"$out")"
  codes="$(awk '/Status code distribution/ {f=1; next} f && /\[/ {printf "%s%s", sep, $1 $2; sep=" "} f && !/\[/ && NF==0 {f=0}' <<<"$out")"
  printf '%-34s %9.0f req/s   p50 %6.2f ms   p99 %6.2f ms   %s\n' "$name" "$rps" "$p50" "$p99" "$codes"
}

floor=(-m POST)
valid=(-m POST -H "Authorization: Bearer $token")
revoke=(-m POST -H "Authorization: Bearer $token" -T application/json -d '{"refresh_token":"not-issued"}')

# Warm every path before measuring any: the first measured scenario otherwise pays for
# tiered JIT, thread-pool ramp-up and connection set-up (seen here: a floor 3x too slow).
for args in floor valid revoke; do
  declare -n warm="$args"
  hey -n 5000 -c "$concurrency" "${warm[@]}" "$url" >/dev/null
done

echo "==> $requests requests per scenario, $concurrency concurrent, $(nproc) cores"
scenario "floor: 401, no token" "${floor[@]}"
scenario "200, token valid, no body" "${valid[@]}"
scenario "200, token valid, unknown refresh" "${revoke[@]}"
