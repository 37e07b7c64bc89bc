# shellcheck shell=bash
# Throwaway PostgreSQL clusters on loopback for tests and benchmarks. Source this file, then:
#   pg_clusters_start   starts cluster A (plain TCP) and cluster B (TLS required, certificate from a test CA),
#                       exports ONTRACKIO_TEST_PG_A, ONTRACKIO_TEST_PG_B (connection strings) and ONTRACKIO_TEST_PG_CA
#   pg_clusters_stop    stops both and deletes their files (safe to call twice; pg_clusters_start traps EXIT)
# Clusters run as a non-root user: the caller, or 'ontrackio-pg' (created if needed) when the caller is root.
# PG_MAX_CONNECTIONS sets max_connections (default 150).

pg_clusters_start() {
  local bin
  bin=$(find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -n1)
  [[ -n $bin ]] || { echo "error: PostgreSQL server binaries not found; run scripts/install-prerequisites" >&2; return 1; }
  PG_BIN=$(dirname "$bin")

  PG_RUN=()
  PG_OWNER=$(id -un)
  if [[ $(id -u) -eq 0 ]]; then
    PG_OWNER=ontrackio-pg
    id -u "$PG_OWNER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OWNER"
    PG_RUN=(runuser -u "$PG_OWNER" --)
  fi

  PG_BASE=$(mktemp -d /tmp/ontrackio-pg.XXXXXX)
  chmod 755 "$PG_BASE"
  trap pg_clusters_stop EXIT
  PG_PASSWORD=$(openssl rand -hex 16)
  printf '%s\n' "$PG_PASSWORD" >"$PG_BASE/pwfile"

  _pg_make_ca
  _pg_cluster a "$(_pg_free_port 55432)" plain
  _pg_cluster b "$(_pg_free_port 55442)" tls

  export ONTRACKIO_TEST_PG_A="Host=127.0.0.1;Port=$PG_PORT_A;Username=ontrackio;Password=$PG_PASSWORD"
  export ONTRACKIO_TEST_PG_B="Host=127.0.0.1;Port=$PG_PORT_B;Username=ontrackio;Password=$PG_PASSWORD"
  export ONTRACKIO_TEST_PG_CA="$PG_BASE/ca.crt"
  echo "PostgreSQL test clusters: A on 127.0.0.1:$PG_PORT_A (plain), B on 127.0.0.1:$PG_PORT_B (TLS required)" >&2
}

pg_clusters_stop() {
  [[ -n ${PG_BASE:-} && -d ${PG_BASE:-} ]] || return 0
  local cluster
  for cluster in a b; do
    if [[ -f $PG_BASE/$cluster/postmaster.pid ]]; then
      "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_BASE/$cluster" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$PG_BASE"
  PG_BASE=
}

_pg_free_port() {
  local port=$1
  while (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

_pg_make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=OnTrackio test CA" \
    -keyout "$PG_BASE/ca.key" -out "$PG_BASE/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$PG_BASE/server.key" -out "$PG_BASE/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$PG_BASE/san.ext"
  openssl x509 -req -in "$PG_BASE/server.csr" -CA "$PG_BASE/ca.crt" -CAkey "$PG_BASE/ca.key" -CAcreateserial \
    -days 2 -extfile "$PG_BASE/san.ext" -out "$PG_BASE/server.crt" 2>/dev/null
  chmod 644 "$PG_BASE/ca.crt"
}

_pg_cluster() {
  local name=$1 port=$2 mode=$3 dir="$PG_BASE/$1"
  mkdir -p "$dir"
  chown "$PG_OWNER" "$dir" "$PG_BASE/pwfile"
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$dir" -U ontrackio --pwfile="$PG_BASE/pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$PG_BASE/initdb-$name.log" 2>&1 \
    || { cat "$PG_BASE/initdb-$name.log" >&2; return 1; }
  {
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "max_connections = ${PG_MAX_CONNECTIONS:-150}"
    # Throwaway clusters: durability buys nothing here and costs seconds per test run.
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
  } >>"$dir/postgresql.conf"
  if [[ $mode == tls ]]; then
    cp "$PG_BASE/server.crt" "$PG_BASE/server.key" "$dir/"
    chown "$PG_OWNER" "$dir/server.crt" "$dir/server.key"
    chmod 600 "$dir/server.key"
    printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" >>"$dir/postgresql.conf"
    # Only TLS connections are accepted: a client that does not ask for TLS is refused by the server itself.
    printf 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n' >"$dir/pg_hba.conf"
  else
    printf 'local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n' >"$dir/pg_hba.conf"
  fi
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  if [[ $name == a ]]; then PG_PORT_A=$port; else PG_PORT_B=$port; fi
}
