# Sourced by test.sh and bench scripts: a throwaway PostgreSQL in a temp dir on loopback and a free
# port. pg_start sets PGPORT and PGTMP; pg_stop stops it and removes the folder.
# initdb and postgres refuse to run as root: run them as the `postgres` user then.
# Tests run with fsync off (nothing to keep); a benchmark that must measure what production pays
# sets RIFA_PG_FSYNC=on. RIFA_PG_OPTS adds server settings ("-c shared_buffers=256MB ...").

# A port nothing listens on (bash's /dev/tcp: no Python or netcat needed on a fresh machine).
pg_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "pg_throwaway: no free port found" >&2
  return 1
}

pg_start() {
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_AS=()
  PGTMP=$(mktemp -d /tmp/rifa-pg.XXXXXX)
  if [[ "$(id -u)" == 0 ]]; then
    PG_AS=(runuser -u postgres --)
    chown postgres "$PGTMP"
  fi
  PGPORT=$(pg_free_port)
  PGBIN="$pgbin"
  "${PG_AS[@]}" "$pgbin/initdb" -D "$PGTMP/data" -U postgres -A trust --no-sync -E UTF8 >"$PGTMP/initdb.log" 2>&1 \
    || { cat "$PGTMP/initdb.log" >&2; return 1; }
  "${PG_AS[@]}" "$pgbin/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c max_connections=200 -c fsync=${RIFA_PG_FSYNC:-off} ${RIFA_PG_OPTS:-}" >/dev/null \
    || { cat "$PGTMP/log" >&2; return 1; }
  export PGPORT PGTMP PGBIN
  echo "pg_throwaway: PostgreSQL on 127.0.0.1:$PGPORT (data in $PGTMP)"
}

pg_stop() {
  if [[ -n "${PGTMP:-}" && -d "$PGTMP" ]]; then
    "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
  fi
}
