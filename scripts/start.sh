#!/usr/bin/env bash
# "Run it": install, build and start the server on http://127.0.0.1:8080 with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile
exec pnpm start "$@"
