#!/usr/bin/env bash
# One-command local run of LogoutFunction: Azurite, dev key pair, local settings, table,
# build, host (Core Tools `func start` if installed, else the repository's host emulator),
# then a ready-to-paste curl with a fresh access token and a seeded refresh token.
# Needs only the .NET SDK and Node.js. Everything listens on 127.0.0.1; Ctrl+C stops
# what this script started (and nothing else).
set -euo pipefail
# A write to a pipe whose reader is gone (`./run.sh | tee run.log`, Ctrl+C) then fails, and the
# script ends through its EXIT trap, instead of bash being killed outright without cleaning up.
trap '' PIPE

usage() {
  cat <<'USAGE'
Usage: ./run.sh [--port N] [--no-azurite] [--user NAME]
  --port N       HTTP port of the function app (default 7071)
  --no-azurite   do not start Azurite; use the store in RefreshTokenStorage as it is
  --user NAME    user of the printed tokens (default alice)
USAGE
}

port=7071
start_azurite=1
user=alice
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "error: --port needs a number" >&2; exit 2; }; port="$2"; shift 2 ;;
    --no-azurite) start_azurite=0; shift ;;
    --user) [[ $# -ge 2 && -n "$2" ]] || { echo "error: --user needs a name" >&2; exit 2; }; user="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"

# Output may go to a pipe that is gone (Ctrl+C on `./run.sh | tee run.log` stops tee too): a
# line that cannot be written is dropped, never a reason to stop.
log() { printf '==> %s\n' "$*" 2>/dev/null || true; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# Runs a build quietly: its output (restore notices of the generated WorkerExtensions project
# included) is shown only when it fails.
quietly() {
  local out status=0
  out="$(mktemp)"
  "$@" >"$out" 2>&1 || status=$?
  [[ $status -eq 0 ]] || cat "$out" >&2
  rm -f "$out"
  [[ $status -eq 0 ]] || die "failed: $*"
}

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH; install the .NET SDK and Node.js first."
done

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp, no extra tools).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Background jobs get their own process group, so cleanup can stop a job together with
# its children (dotnet run -> emulator -> worker), and Ctrl+C reaches only this script.
set -m
azurite_pid=""
app_pid=""

stop_group() {
  local pid="$1" name="$2" i
  kill -0 "$pid" 2>/dev/null || return 0
  log "Stopping $name"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  # Reaping it here keeps bash's "Terminated" job notice off the screen.
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  # Stopping what this script started must not depend on anything else: not on a second Ctrl+C
  # (ignored; the cleanup is bounded, about 10 s per process group instead), and not on its
  # output reaching anyone (a failed write must not stop it under set -e).
  trap - EXIT
  trap '' INT TERM
  set +e
  # Job control off: the groups exist already, and bash stays quiet about the jobs we stop.
  set +m
  [[ -n "$app_pid" ]] && stop_group "$app_pid" "the function app"
  [[ -n "$azurite_pid" ]] && stop_group "$azurite_pid" "Azurite"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. Azurite from the pinned npm package.
if [[ ! -x node_modules/.bin/azurite-table ]]; then
  log "Installing Azurite (npm ci)"
  # Azurite 3.37 declares Node 22 but runs on 20 (tested); the EBADENGINE warnings are noise.
  npm ci --no-audit --no-fund --loglevel=error
fi

log "Building tools/DevTokens"
quietly dotnet build tools/DevTokens/DevTokens.csproj -c Debug --nologo
devtokens() { dotnet tools/DevTokens/bin/Debug/net10.0/DevTokens.dll "$@"; }

# 2. Table service on 127.0.0.1:10002 (what UseDevelopmentStorage=true means), unless one runs.
if [[ $start_azurite -eq 1 ]]; then
  if listening 10002; then
    log "Something already listens on 127.0.0.1:10002; using it as Azurite"
  else
    mkdir -p .azurite
    log "Starting Azurite (log: .azurite/azurite.log)"
    devtokens azurite --port 10002 --location .azurite </dev/null >>.azurite/azurite.log 2>&1 &
    azurite_pid=$!
    for _ in $(seq 1 40); do
      listening 10002 && break
      kill -0 "$azurite_pid" 2>/dev/null || die "Azurite exited; see .azurite/azurite.log"
      sleep 0.5
    done
    listening 10002 || die "Azurite did not listen on 127.0.0.1:10002 within 20 s; see .azurite/azurite.log"
  fi
fi

# 3. Dev key pair (once), local.settings.json (if missing), the refresh-token and revocation-marker tables.
devtokens keygen
devtokens settings

# Create them where the app will look: its RefreshTokenStorage / RefreshTokenTable / RevocationTable settings. Passed
# through the environment, never printed (a real connection string holds a key).
setting() {
  node -e 'try { const v = (JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Values || {})[process.argv[2]];
    if (typeof v === "string") process.stdout.write(v); } catch { /* unreadable: use the defaults */ }' "$root/local.settings.json" "$1"
}
storage="$(setting RefreshTokenStorage)"
storage="${storage:-UseDevelopmentStorage=true}"
table="$(setting RefreshTokenTable)"
table="${table:-RefreshTokens}"
revocation_table="$(setting RevocationTable)"
revocation_table="${revocation_table:-RefreshTokenRevocations}"
# Only the tool gets it: exported, it would reach the host too, which then skips that setting.
RefreshTokenStorage="$storage" devtokens create-table --table "$table" --revocation-table "$revocation_table"

# 4. Build the app; the csproj copies host.json and local.settings.json into the output.
log "Building LogoutFunction"
quietly dotnet build LogoutFunction/LogoutFunction.csproj -c Debug --nologo
app_dir="LogoutFunction/bin/Debug/net10.0"

# 5. Host it.
listening "$port" && die "127.0.0.1:$port is already in use; stop that process or pass --port N."
if command -v func >/dev/null 2>&1; then
  # Core Tools run in the build output: a dotnet-isolated app's script root is that folder
  # (host.json, worker.config.json, functions.metadata, local.settings.json), which is what
  # `func start` itself switches to after its own build. Starting there reuses our build.
  log "Starting the app under Azure Functions Core Tools (func start)"
  (cd "$app_dir" && exec func start --port "$port") </dev/null &
  app_pid=$!
else
  log "Core Tools (func) not found; starting the app under tools/FunctionsHostEmulator"
  quietly dotnet build tools/FunctionsHostEmulator -c Debug --nologo
  # Absolute paths: `dotnet run` may start the emulator in its project folder.
  dotnet run --no-build --project tools/FunctionsHostEmulator -- \
    --app "$root/$app_dir" --settings "$root/local.settings.json" --port "$port" </dev/null &
  app_pid=$!
fi

for _ in $(seq 1 120); do
  listening "$port" && break
  kill -0 "$app_pid" 2>/dev/null || die "the function app exited before listening on 127.0.0.1:$port"
  sleep 0.5
done
listening "$port" || die "the function app did not listen on 127.0.0.1:$port within 60 s"

url="http://127.0.0.1:$port/api/logout"
# A host may accept connections before the worker is ready; an unauthenticated POST answers
# 401 once the function runs (bounded, and skipped when curl is missing).
if command -v curl >/dev/null 2>&1; then
  for _ in $(seq 1 60); do
    code="$(curl -s -o /dev/null -w '%{http_code}' -X POST --max-time 2 "$url" || true)"
    [[ "$code" == 401 ]] && break
    kill -0 "$app_pid" 2>/dev/null || die "the function app exited during start-up"
    sleep 0.5
  done
  [[ "$code" == 401 ]] || echo "warning: $url answered $code to an unauthenticated POST, not 401; the app may not be ready" >&2
fi

# 6. Dev-only tokens for the printed request (signed by .devkeys, seeded into the local table).
# The token matches the app's settings: issuer and audience when set (the first of a list), and
# the user-id claim it reads.
mint_args=(--user "$user")
issuer="$(setting Jwt__Issuer)"; [[ -z "$issuer" ]] || mint_args+=(--issuer "${issuer%%,*}")
audience="$(setting Jwt__Audience)"; [[ -z "$audience" ]] || mint_args+=(--audience "${audience%%,*}")
claim="$(setting Jwt__UserIdClaim)"; [[ -z "$claim" ]] || mint_args+=(--claim "$claim")
access_token="$(devtokens mint "${mint_args[@]}")"
refresh_token="$(RefreshTokenStorage="$storage" devtokens seed --user "$user" --table "$table")"

cat <<READY

LogoutFunction is running on $url (Ctrl+C stops it). Log out $user with:

curl -i -X POST $url \\
  -H "Authorization: Bearer $access_token" \\
  -H "Content-Type: application/json" \\
  -d '{"refresh_token":"$refresh_token"}'

More requests: logout.http. New tokens: dotnet run --project tools/DevTokens -- mint --user $user / seed --user $user

READY

# Stay in the foreground until Ctrl+C or until the app exits; the EXIT trap cleans up.
set +e
wait "$app_pid"
status=$?
[[ $status -lt 128 ]] && echo "the function app exited with status $status" >&2
exit "$status"
