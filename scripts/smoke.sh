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
# shellcheck source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
the0_stack_command smoke 4 9 "$@"
