# shellcheck shell=bash
# A throwaway S3-compatible server (s3rver, pinned in tests/s3-server) on loopback for tests and benchmarks. Source
# this file, then:
#   s3_server_start   starts it on a free port with an empty folder, exports ONTRACKIO_TEST_S3_URL; fails loudly if
#                     the server does not come up
#   s3_server_stop    stops it and deletes its folder (safe to call twice; the caller traps EXIT)
# Its fixed test credentials are S3RVER / S3RVER; it checks the access key and expiry of SigV4 requests, not their signatures.

s3_server_start() {
  local bin=tests/s3-server/node_modules/s3rver/bin/s3rver.js
  [[ -f $bin ]] || { echo "error: s3rver is not installed (tests/s3-server); run scripts/install-prerequisites" >&2; return 1; }
  S3_BASE=$(mktemp -d /tmp/ontrackio-s3.XXXXXX)
  local port=54568
  while (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  node "$bin" --directory "$S3_BASE/data" --address 127.0.0.1 --port "$port" --silent --no-vhost-buckets \
    >"$S3_BASE/server.log" 2>&1 &
  S3_PID=$!
  local tries=0
  until (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$S3_PID" 2>/dev/null || ((++tries > 100)); then
      echo "error: the S3 test server (s3rver) did not start on 127.0.0.1:$port:" >&2
      cat "$S3_BASE/server.log" >&2
      return 1
    fi
    sleep 0.2
  done
  export ONTRACKIO_TEST_S3_URL="http://127.0.0.1:$port"
  echo "S3 test server: s3rver on 127.0.0.1:$port" >&2
}

s3_server_stop() {
  if [[ -n ${S3_PID:-} ]]; then
    kill "$S3_PID" 2>/dev/null || true
    wait "$S3_PID" 2>/dev/null || true
    S3_PID=
  fi
  [[ -n ${S3_BASE:-} && -d ${S3_BASE:-} ]] && rm -rf "$S3_BASE"
  S3_BASE=
  return 0
}
