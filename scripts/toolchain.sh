#!/usr/bin/env bash
# Sourced by the README's commands. Puts Node >= 22.13 and the pinned pnpm on PATH:
# the machine's own when good enough, otherwise both from the npm registry into .tooling/.
# No `set -e` here: the file is sourced, also from interactive shells (the callers set their own).
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"+]*\).*/\1/p' "$repo_root/package.json")"
# The Node these commands were tested with; provisioned only when the machine's is too old.
node_version=24.21.0

node_is_recent() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if ! node_is_recent || [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  tooling="$repo_root/.tooling"
  if [ "$("$tooling/node_modules/.bin/node" --version 2>/dev/null || true)" != "v$node_version" ] ||
    [ "$("$tooling/node_modules/.bin/pnpm" --version 2>/dev/null || true)" != "$pnpm_version" ]; then
    echo "toolchain: installing Node $node_version and pnpm $pnpm_version into .tooling/ (machine Node: $(node -v 2>/dev/null || echo none))" >&2
    mkdir -p "$tooling"
    [ -f "$tooling/package.json" ] || echo '{"private":true}' >"$tooling/package.json"
    npm install --prefix "$tooling" --no-audit --no-fund --loglevel=error "node@$node_version" "pnpm@$pnpm_version" >&2
  fi
  export PATH="$tooling/node_modules/.bin:$PATH"
fi
# turbo would otherwise print its telemetry notice on every run of these scripts.
export TURBO_TELEMETRY_DISABLED=1
[ -n "${TOOLCHAIN_QUIET:-}" ] || echo "toolchain: node $(node -v), pnpm $(pnpm --version)" >&2
