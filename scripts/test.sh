#!/usr/bin/env bash
# The project's test command: installs what the tests need, type-checks, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx tsc --noEmit -p .
npx vitest run "$@"
