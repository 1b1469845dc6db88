#!/usr/bin/env bash
# Smoke test of a running LogoutFunction, with bounded retries: `POST <base>/api/logout` without
# a token must answer 401 with exactly {"code":401,"message":"JWT Token not found"} and
# `WWW-Authenticate: Bearer` (row 1 of the README's contract table). The pipeline uses it twice:
# to wait until `func start` serves the app (rather than probing a port), and after a deployment,
# against the deployed app. It sends no credential and prints no header but WWW-Authenticate.
#
# usage: tools/smoke-test.sh BASE_URL [--attempts N] [--interval SECONDS] [--max-time SECONDS]
#                            [--pid PID] [--invalid-token]
#   BASE_URL         http(s)://host[:port] of the app, without /api/logout
#   --attempts N     tries per check before failing (default 30)
#   --interval S     seconds between tries (default 2)
#   --max-time S     limit for one request (curl --max-time; default 10)
#   --pid PID        fail at once when this process (the host being waited for) has exited
#   --invalid-token  then also check that a malformed token gets the same 401 with
#                    `WWW-Authenticate: Bearer error="invalid_token", ...` (row 2)
# Exit status: 0 when every check passed, 1 when one did not within its tries, 2 on bad usage.
set -euo pipefail

readonly expected_body='{"code":401,"message":"JWT Token not found"}'
# Not a token: one segment, so the app refuses it as malformed before any key is looked at.
readonly malformed_token='not-a-jwt'

usage() { sed -n '8,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

error() {
  # An error line for Azure Pipelines' summary when running there, plain text elsewhere.
  if [ -n "${TF_BUILD:-}" ]; then echo "##vso[task.logissue type=error]smoke-test: $*"; else echo "smoke-test: $*" >&2; fi
}

base_url=""
attempts=30
interval=2
max_time=10
pid=""
invalid_token=false
while [ $# -gt 0 ]; do
  case "$1" in
    --attempts) attempts="${2:-}"; shift 2 ;;
    --interval) interval="${2:-}"; shift 2 ;;
    --max-time) max_time="${2:-}"; shift 2 ;;
    --pid) pid="${2:-}"; shift 2 ;;
    --invalid-token) invalid_token=true; shift ;;
    -h|--help) usage ;;
    -*) echo "smoke-test: unknown option $1" >&2; usage ;;
    *) if [ -n "$base_url" ]; then usage; fi; base_url="$1"; shift ;;
  esac
done

base_url="${base_url%/}"
# No user:password@ part, so that nothing secret can reach the log through the URL.
[[ "$base_url" =~ ^https?://[^/?#@[:space:]]+$ ]] || { echo "smoke-test: BASE_URL must be http(s)://host[:port]" >&2; exit 2; }
[[ "$attempts" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "smoke-test: --attempts must be 1 to 9999" >&2; exit 2; }
[[ "$interval" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "smoke-test: --interval must be a number of seconds" >&2; exit 2; }
[[ "$max_time" =~ ^[1-9][0-9]*(\.[0-9]+)?$ ]] || { echo "smoke-test: --max-time must be a positive number of seconds" >&2; exit 2; }
[[ -z "$pid" || "$pid" =~ ^[1-9][0-9]*$ ]] || { echo "smoke-test: --pid must be a process id" >&2; exit 2; }
command -v curl >/dev/null || { echo "smoke-test: curl is required" >&2; exit 2; }

readonly url="$base_url/api/logout"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# post [AUTHORIZATION]: one POST with an empty JSON body (Content-Length: 0); sets status,
# www_authenticate (the last such header, trimmed) and leaves the body in $tmp/body.
post() {
  : >"$tmp/body"
  : >"$tmp/headers"
  local args=(--silent --show-error --max-time "$max_time" --request POST
    --header 'Content-Type: application/json' --data-binary ''
    --output "$tmp/body" --dump-header "$tmp/headers" --write-out '%{http_code}')
  if [ $# -gt 0 ]; then args+=(--header "Authorization: $1"); fi
  status=$(curl "${args[@]}" "$url" 2>"$tmp/curl-error") || status=000
  www_authenticate=$(tr -d '\r' <"$tmp/headers" | grep -i '^www-authenticate:' | tail -n 1 | cut -d: -f2- | sed 's/^[[:space:]]*//;s/[[:space:]]*$//' || true)
}

# What came back, for the log: the status, WWW-Authenticate and the first 200 bytes of the body,
# control characters removed (the answer to a request that carried no credential).
describe() {
  if [ "$status" = 000 ]; then
    echo "no answer ($(head -c 200 "$tmp/curl-error" | tr -d '\000-\037'))"
  else
    echo "HTTP $status, WWW-Authenticate '${www_authenticate}', body '$(head -c 200 "$tmp/body" | tr -d '\000-\037')'"
  fi
}

# check NAME EXPECTED_WWW_AUTHENTICATE_PATTERN [AUTHORIZATION]: tries until the answer is the 401.
check() {
  local name="$1" pattern="$2"
  shift 2
  local attempt
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      error "process $pid exited before $url gave the expected answer"
      return 1
    fi
    post "$@"
    if [ "$status" = 401 ] && printf '%s' "$expected_body" | cmp -s - "$tmp/body" && [[ "$www_authenticate" == $pattern ]]; then
      echo "smoke-test: $name: POST $url answered 401, the contract's body and WWW-Authenticate: $www_authenticate (try $attempt/$attempts)"
      return 0
    fi
    echo "smoke-test: $name: try $attempt/$attempts: $(describe)"
    if ((attempt < attempts)); then sleep "$interval"; fi
  done
  error "$name: POST $url did not answer 401 $expected_body with the expected WWW-Authenticate within $attempts tries; last: $(describe)"
  return 1
}

check "no token" 'Bearer'
if [ "$invalid_token" = true ]; then
  check "malformed token" 'Bearer error="invalid_token"*' "Bearer $malformed_token"
fi
