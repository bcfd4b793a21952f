#!/usr/bin/env bash
# "Test it": install with the frozen lockfile, then typecheck, lint, check the packages as published
# and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile
pnpm typecheck
pnpm lint
pnpm check:packages
pnpm test
node scripts/test-summary.js
