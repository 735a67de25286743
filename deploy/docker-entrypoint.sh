#!/bin/sh
# Entry point of the encv image: one role per container, configured only by
# environment variables (see docs/deploy.md). Kubernetes and Dagster's Helm
# chart pass the role as the container's args.
set -eu

usage() {
  cat <<'EOF'
usage: docker-entrypoint.sh COMMAND [ARGS]
  serve SURFACE      server | apiserver | adminapi | enx-redirect under gunicorn,
                     on ENCV_BIND (default 0.0.0.0:$PORT, PORT default 8080)
                     with ENCV_WORKERS (default 2) sync workers
  migrate            apply database migrations (advisory-locked, idempotent)
  job NAME           run one internal duty once (encv job NAME)
  code-server        Dagster code server for orchestration.definitions on
                     DAGSTER_CODE_SERVER_PORT (default 4000)
  webserver          dagster-webserver on DAGSTER_WEBSERVER_PORT (default 3000)
  daemon             dagster-daemon run (schedules, sensors, run queue)
  healthcheck        GET ENCV_HEALTH_URL (default http://127.0.0.1:$PORT/health)
  dagster ...        any dagster CLI command, as Dagster's Helm chart and the
                     K8sRunLauncher start them (code-server, api execute_run)
  encv ...           any encv command
EOF
}

workspace="${ENCV_WORKSPACE:-/app/workspace.yaml}"

need_dagster_home() {
  if [ -z "${DAGSTER_HOME:-}" ]; then
    echo "docker-entrypoint: DAGSTER_HOME must be set for '$1'" >&2
    exit 64
  fi
}

if [ "$#" -eq 0 ]; then
  usage >&2
  exit 64
fi

command="$1"
shift
case "$command" in
  serve)
    if [ "$#" -ne 1 ]; then
      echo "docker-entrypoint: serve needs exactly one SURFACE" >&2
      exit 64
    fi
    exec encv serve "$1" \
      --bind "${ENCV_BIND:-0.0.0.0:${PORT:-8080}}" \
      --workers "${ENCV_WORKERS:-2}"
    ;;
  migrate)
    exec encv migrate "$@"
    ;;
  job)
    if [ "$#" -ne 1 ]; then
      echo "docker-entrypoint: job needs exactly one NAME" >&2
      exit 64
    fi
    exec encv job "$1"
    ;;
  code-server)
    exec dagster code-server start -m orchestration.definitions \
      -h "${DAGSTER_CODE_SERVER_HOST:-0.0.0.0}" \
      -p "${DAGSTER_CODE_SERVER_PORT:-4000}" "$@"
    ;;
  webserver)
    need_dagster_home webserver
    exec dagster-webserver -w "$workspace" \
      -h "${DAGSTER_WEBSERVER_HOST:-0.0.0.0}" \
      -p "${DAGSTER_WEBSERVER_PORT:-3000}" "$@"
    ;;
  daemon)
    need_dagster_home daemon
    exec dagster-daemon run -w "$workspace" "$@"
    ;;
  healthcheck)
    url="${ENCV_HEALTH_URL:-http://127.0.0.1:${PORT:-8080}/health}"
    exec python -c 'import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=4) as r:
    sys.exit(0 if r.status == 200 else 1)' "$url"
    ;;
  dagster|dagster-webserver|dagster-daemon|encv)
    exec "$command" "$@"
    ;;
  help|-h|--help)
    usage
    ;;
  *)
    echo "docker-entrypoint: unknown command '$command'" >&2
    usage >&2
    exit 64
    ;;
esac
