#!/usr/bin/env bash
# `make run`: create the demo store on first start, then serve it.
set -euo pipefail
db="${ZONEGOV_DB:-zonegov.db}"
listen="${ZONEGOV_LISTEN:-127.0.0.1:8080}"
pw="${ZONEGOV_DEMO_PASSWORD:-zonegov-demo-2026}"
if [[ ! -f $db ]]; then
  build/zonegov demo --db "$db" --password "$pw" --samples
fi
cat <<MSG

  zonegov is starting on http://$listen
  log in as admin (or leader, dispatcher, handler, gridleader, gridworker, supervisor)
  password: $pw  (for a store created by make run; stop with Ctrl-C)

MSG
exec build/zonegov serve --db "$db" --listen "$listen"
