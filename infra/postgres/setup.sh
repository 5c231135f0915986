#!/usr/bin/env bash
# Makes sure PostgreSQL with the pgvector extension is reachable and that every service has its own
# database. Safe to run again: it only does what is missing.
#   PG_HOST/PG_PORT/PG_USER/PG_PASSWORD select the server (default 127.0.0.1:5432, user postgres).
# If the server lacks the `vector` extension and we run as root on Debian, pgvector is built from
# Debian's source package (Debian 12 ships no binary package); otherwise we stop and print the commands.
set -euo pipefail

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
export PGPASSWORD=${PG_PASSWORD:-${PGPASSWORD:-}}
SERVICE_DATABASES=(concierge_gateway concierge_chat concierge_search concierge_scraper concierge_commerce)
# Each service's integration tests use their own database, so `./concierge test` never touches running data.
DATABASES=("${SERVICE_DATABASES[@]}" "${SERVICE_DATABASES[@]/%/_test}")

log() { printf '[postgres] %s\n' "$*"; }
psql_admin() { psql -v ON_ERROR_STOP=1 -qAt -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"; }
is_local() { [[ "$PG_HOST" == 127.* || "$PG_HOST" == localhost || "$PG_HOST" == ::1 ]]; }

manual_steps() {
  cat <<'TXT'
PostgreSQL with pgvector is needed. On Debian 12, as root:
  apt-get install -y postgresql postgresql-server-dev-15 build-essential
  # pgvector is not packaged for bookworm: build it from the trixie source package
  printf 'Types: deb-src\nURIs: <your Debian mirror>\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > /etc/apt/sources.list.d/concierge-src.sources
  apt-get update && cd /tmp && apt-get source pgvector && cd pgvector-*/ && make OPTFLAGS="" install
Or point PG_HOST/PG_PORT/PG_USER/PG_PASSWORD at a server that has the `vector` extension.
TXT
}

start_local_cluster() {
  command -v pg_ctlcluster >/dev/null || return 1
  local ver
  for ver in $(ls /etc/postgresql 2>/dev/null); do
    if ! pg_ctlcluster "$ver" main status >/dev/null 2>&1; then
      log "starting local cluster $ver/main"
      pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
    fi
  done
}

wait_ready() {
  for _ in $(seq 1 30); do
    psql_admin -d postgres -c 'select 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

# pgvector 0.8 or newer: search-service relies on HNSW iterative scans (hnsw.iterative_scan).
has_vector() {
  local v
  v=$(psql_admin -d postgres -c "select default_version from pg_available_extensions where name='vector'")
  [ -n "$v" ] && [ "$(printf '%s\n0.8.0\n' "$v" | sort -V | head -n1)" = "0.8.0" ]
}

mirror_uri() {
  # The machine's own Debian mirror, read from its sources list at run time.
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | grep '/debian' | head -n1 || true)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(grep -E '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
  fi
  printf '%s' "$uri"
}

build_pgvector() {
  local major uri work
  major=$(psql_admin -d postgres -c 'show server_version_num' | cut -c1-2)
  uri=$(mirror_uri)
  [ -n "$uri" ] || { log "cannot find the Debian mirror in the apt sources list"; return 1; }
  log "building pgvector from Debian's source package for PostgreSQL $major"
  cat > /etc/apt/sources.list.d/concierge-pgvector-src.sources <<SRC
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "postgresql-server-dev-$major" build-essential dpkg-dev >/dev/null
  work=$(mktemp -d)
  (cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1 && cd pgvector-*/ && make -s OPTFLAGS="" >/dev/null && make -s OPTFLAGS="" install >/dev/null)
  rm -rf "$work"
  # Installing the dev package can upgrade the server package and leave the cluster stopped.
  start_local_cluster
  wait_ready
}

if ! wait_ready; then
  if is_local && [ "$(id -u)" = 0 ]; then start_local_cluster || true; fi
  wait_ready || { log "PostgreSQL is not reachable at $PG_HOST:$PG_PORT"; manual_steps; exit 1; }
fi

if ! has_vector; then
  if is_local && [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then
    build_pgvector || { manual_steps; exit 1; }
  fi
  has_vector || { log "the vector extension (0.8 or newer) is not available"; manual_steps; exit 1; }
fi

for db in "${DATABASES[@]}"; do
  if [ "$(psql_admin -d postgres -c "select count(*) from pg_database where datname='$db'")" != "1" ]; then
    psql_admin -d postgres -c "create database $db" && log "created database $db"
  fi
done
for db in concierge_search concierge_search_test; do
  psql_admin -d "$db" -c 'create extension if not exists vector'
done
log "ready: $PG_HOST:$PG_PORT ($(psql_admin -d concierge_search -c "select 'pgvector ' || extversion from pg_extension where extname='vector'"))"
