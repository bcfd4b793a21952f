#!/usr/bin/env bash
# "Run it": install, build and start the server on http://127.0.0.1:8080 with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh
pnpm install --frozen-lockfile
# A young generation of 16 MB semi-spaces serves the full list faster than Node's default on a
# machine with much memory (README, Deploying); a size already in NODE_OPTIONS wins.
case "${NODE_OPTIONS:-}" in
  *semi-space-size* | *semi_space_size*) ;;
  *) export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--max-semi-space-size=16" ;;
esac
exec pnpm start "$@"
