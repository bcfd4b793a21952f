#!/usr/bin/env bash
# The terminal browser (cocart-sessions) with the repo's toolchain: Node 24 from .tooling/ when the
# machine's Node is older than 22.13. Builds it first when no build is there yet.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
TOOLCHAIN_QUIET=1 source "$repo/scripts/toolchain.sh"
if [ ! -f "$repo/apps/tui/dist/cli.js" ]; then
  (cd "$repo" && pnpm install --frozen-lockfile && pnpm exec turbo run build --filter=@cocart-sessions/tui... --output-logs=errors-only) >&2
fi
exec node "$repo/apps/tui/dist/cli.js" "$@"
