#!/usr/bin/env bash
# Before the first `pulumi up` (and before every deploy): is the stack's cluster ready for what the stack creates?
#
#   npm run preflight -- --stack <stack>
#
#   the cluster answers with the stack's kube context; the CRDs of every custom kind the stack creates, serving
#   the version it uses; the StorageClasses its volumes name (or a default); the metrics API when it autoscales;
#   allocatable CPU and memory for its requests; the add-ons stack's outputs when addonsStack names one.
#
# Reads the stack's config with `pulumi config` (current backend) and renders the stack under mocks; nothing is
# written anywhere. One line per check; exit 0 when all pass, 1 when any fails, 2 for a usage or config mistake.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/node.sh
source "$here/lib/node.sh"
the0_use_node22
the0_ensure_deps
cd "${THE0_PROJECT_DIR:-$here/..}"
for tool in pulumi kubectl; do
  command -v "$tool" >/dev/null || { echo "preflight: $tool is not on PATH" >&2; exit 2; }
done
case "${1:-}" in -h | --help | "") sed -n '4,8p' "$here/preflight.sh" | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac
exec npx ts-node --transpile-only "$here/preflight.ts" "$@"
