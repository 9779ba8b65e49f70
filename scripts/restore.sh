#!/usr/bin/env bash
# Restores a stack's in-cluster stores from its backups (the deployment doc's restore runbook):
#
#   npm run restore -- --stack <stack> --store <all|postgres|mongo|objectStorage> [--from <latest|UTC time|backup name>] [--force] [--yes]
#
#   --store all   PostgreSQL, MongoDB and object storage from the same time, so the api comes back consistent
#   --from        latest (default); a time (2026-12-03T02:17:00Z or 20261203T021700Z) picks each store's newest
#                 backup at or before it; a backup's name (20261203T021712Z.dump) picks exactly that one
#   --force       replace what a store holds; without it a store that holds data is refused (exit 3)
#   --yes         do not ask before stopping the api and bot-controller
#
# Reads the stack's config with `pulumi config` (current backend), and runs one Job per store in the stack's
# kube context with kubectl; the api and bot-controller are scaled to 0 while it runs and back afterwards.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/node.sh
source "$here/lib/node.sh"
the0_use_node22
the0_ensure_deps
cd "${THE0_PROJECT_DIR:-$here/..}"
for tool in pulumi kubectl; do
  command -v "$tool" >/dev/null || { echo "restore: $tool is not on PATH" >&2; exit 1; }
done
case "${1:-}" in -h | --help | "") sed -n '4,10p' "$here/restore.sh" | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac
exec npx ts-node --transpile-only "$here/restore.ts" "$@"
