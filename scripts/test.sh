#!/usr/bin/env bash
# "Test it": install with the frozen lockfile, then typecheck, lint, check the packages as published,
# run every test, then the packaging tests (the packages installed from their tarballs by npm, and a
# release rehearsed against a local registry).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile
pnpm typecheck
pnpm lint
pnpm check:packages
pnpm test
pnpm test:packaging
node scripts/test-summary.js
