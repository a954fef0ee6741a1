#!/usr/bin/env bash
# Runs every Komek test: formatting, lints, unit, integration and end-to-end
# tests. This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== PostgreSQL for the storage conformance and multi-node tests"
# Installs PostgreSQL when missing, starts a throwaway cluster, exports
# KOMEK_TEST_PG, and removes the cluster when this script exits.
source scripts/pg-test-cluster.sh
echo "== cargo test"
cargo test --workspace
echo "== Kotlin bindings on the JVM"
./scripts/kotlin-tests.sh
echo "== The registry's HTTP API against its OpenAPI file (schemathesis, short run)"
./scripts/api-schema-check.sh
