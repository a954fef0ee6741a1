#!/usr/bin/env bash
# Checks the registry's HTTP API against its own OpenAPI file
# (docs/sync-openapi.yaml) with schemathesis, a property-based API tester:
# every operation, with and without a supervisor's token, generated valid
# and invalid inputs; the run fails on any 500, an undocumented status, a
# wrong content type, a body that does not match its schema, or invalid
# input that is accepted.
#
# Short by default (under a minute); for a soak set API_CHECK_SECONDS (the
# time budget of each of the two runs, default 20). API_CHECK_CHECKS picks
# other schemathesis checks (e.g. `all`, which adds positive_data_acceptance:
# it still reports inputs the schema cannot express as refused, such as a
# `return` without a comment).
#
# It installs schemathesis into .tools/schemathesis-venv with pip if it is
# missing, starts the registry binary on a free loopback port with its data
# in a temporary directory, and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${API_CHECK_SECONDS:-20}"
venv=.tools/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "== installing schemathesis into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis>=4.1,<5"
fi

echo "== building the registry"
cargo build --quiet -p komek-registry --bin komek-registry
registry=target/debug/komek-registry

tmp="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill -INT "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

password="schema-check-$RANDOM-$RANDOM"
printf '%s\n' "$password" | "$registry" add-supervisor --data "$tmp/data" --name checker >/dev/null
"$registry" serve --data "$tmp/data" --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=""
for _ in $(seq 1 100); do
    url="$(sed -n 's/^listening on //p' "$tmp/out")"
    [ -n "$url" ] && break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "the registry did not start:" >&2
    cat "$tmp/err" >&2
    exit 1
fi
echo "== registry at $url"

# Log in, and publish the default rule pack so GET /v1/rules/kz-2026.1
# finds something.
token="$(python3 - "$url" "$password" <<'EOF'
import base64, json, sys, urllib.request
url, password = sys.argv[1], sys.argv[2]
def post(path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(),
                                 method="POST", headers=headers)
    return json.load(urllib.request.urlopen(req))
token = post("/v1/supervisor/login", {"name": "checker", "password": password})["token"]
toml = open("core/packs/kz-default.toml", "rb").read()
post("/v1/supervisor/rules", {"toml": base64.b64encode(toml).decode()}, token)
print(token)
EOF
)"

checks="${API_CHECK_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection}"
root="$(pwd)"
export SCHEMATHESIS_HOOKS="$root/scripts/api_schema_hooks.py"
status=0
# Run from the temporary directory: schemathesis keeps a cache in the
# working directory.
run() {
    (cd "$tmp" && "$root/$venv/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" \
        run "$root/docs/sync-openapi.yaml" \
        --url "$url" \
        --checks "$checks" \
        --phases examples,coverage,fuzzing \
        --max-time "$seconds" \
        --workers 1 \
        --request-timeout 10 \
        --suppress-health-check all \
        --seed 11 \
        --no-color \
        "$@") || status=1
}

echo "== without authentication"
run
echo "== as a logged-in supervisor (logout left out: it would end the session)"
run -H "Authorization: Bearer $token" --exclude-operation-id logout
exit "$status"
