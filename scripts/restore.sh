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
# shellcheck source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
the0_stack_command restore 4 10 "$@"
