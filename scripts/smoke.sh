#!/usr/bin/env bash
# The post-deploy check, after every `pulumi up` (deployment doc, "After every up: the smoke check"):
#
#   npm run smoke -- --stack <stack> [--timeout <seconds per check>] [--no-external]
#
#   in the cluster (the program's smoke Job, the0's own clients): api ready, admin login, JetStream streams,
#   buckets, bot-controller ready; from here, when the stack serves TLS: each host's certificate.
#   --no-external   skip the TLS checks (a runner that cannot reach the hosts)
#
# Reads the stack's config with `pulumi config` (current backend) and uses the stack's kube context with kubectl.
# One line per check; exit 0 when all pass, 1 when any fails, 2 for a usage or config mistake.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/node.sh
source "$here/lib/node.sh"
the0_use_node22
the0_ensure_deps
cd "${THE0_PROJECT_DIR:-$here/..}"
for tool in pulumi kubectl; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool is not on PATH" >&2; exit 2; }
done
case "${1:-}" in -h | --help | "") sed -n '4,9p' "$here/smoke.sh" | sed 's/^# \{0,1\}//' >&2; exit 2 ;; esac
exec npx ts-node --transpile-only "$here/smoke.ts" "$@"
