#!/bin/sh
# Peak memory (VmHWM) of a registry under two rounds of 32 concurrent
# wrong-password logins for one existing name (issue 11, finding 3).
# usage: scripts/login-flood-memory.sh target/debug/komek-registry
# Needs curl and Linux's /proc; uses port 18750.
set -eu
bin=$1
data=$(mktemp -d)
echo password123 | "$bin" add-supervisor --data "$data/r" --name sup
"$bin" serve --data "$data/r" --listen 127.0.0.1:18750 > "$data/out" &
pid=$!
sleep 1
grep VmHWM /proc/$pid/status
for round in 1 2; do seq 32 | xargs -P 32 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  -H 'content-type: application/json' -d '{"name":"sup","password":"wrong"}' \
  http://127.0.0.1:18750/v1/supervisor/login | sort | uniq -c; grep -E "VmHWM|VmRSS" /proc/$pid/status; done
grep -E 'VmHWM|VmRSS' /proc/$pid/status
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$data"
