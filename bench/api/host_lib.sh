# Sourced by the bench/api scripts: what each of them needs to run a real host and talk to it.
# They set PORT and HOST_PID (and WORK) before calling these.

# The plugins and bindings of a bench host: mock lottery, sandbox payment, log notifier.
#   bench_plugins_yaml PLUGIN_DIR SANDBOX_WEBHOOK_SECRET
bench_plugins_yaml() {
  cat <<YAML
plugins:
  search_path: [$1]
  instances:
    mock: {library: lottery_mock, kind: lottery, config: {seed: bench}}
    sandbox: {library: payment_sandbox, kind: payment, config: {webhook_secret: $2}}
    log: {library: notifier_log, kind: notifier}
bindings:
  defaults: {lottery: mock, payment: sandbox, notifiers: [log]}
YAML
}

# Waits (30 s at most) for the host started as HOST_PID to answer /health on PORT; if it dies or
# never answers, prints its LOG and exits.
wait_for_host() {
  local log=$1
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && return 0
    kill -0 "$HOST_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "bench/api: the host did not come up; its log ($log):" >&2
  cat "$log" >&2
  exit 1
}

# api METHOD PATH [TOKEN] [JSON]: the body; fails on a non-2xx answer. API_MAX_TIME (seconds)
# bounds one call where a script expects slow ones.
api() {
  local method=$1 path=$2 token=${3:-} body=${4:-}
  local args=(-sS --fail-with-body -X "$method" "http://127.0.0.1:$PORT/api/v1$path" -H 'Content-Type: application/json')
  [[ -n "${API_MAX_TIME:-}" ]] && args+=(--max-time "$API_MAX_TIME")
  [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n "$body" ]] && args+=(--data "$body")
  curl "${args[@]}"
}
