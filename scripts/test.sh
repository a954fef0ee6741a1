#!/usr/bin/env bash
# Runs every Komek test: formatting, lints, unit, integration and end-to-end
# tests. This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace
echo "== Kotlin bindings on the JVM"
./scripts/kotlin-tests.sh
