#!/usr/bin/env bash
# Validates renovate.json with Renovate's own validator, installed from npm into the toolchain cache
# on first use (about 35 s; install scripts off).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22
RENOVATE_VERSION=42.99.0
dir="${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/renovate"
if [ "$(node -p "try { require('$dir/node_modules/renovate/package.json').version } catch { '' }")" != "$RENOVATE_VERSION" ]; then
  echo "installing renovate $RENOVATE_VERSION into $dir" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --ignore-scripts "renovate@$RENOVATE_VERSION" >&2
fi
"$dir/node_modules/.bin/renovate-config-validator" --strict renovate.json | tail -1
