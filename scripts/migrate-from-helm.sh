#!/usr/bin/env bash
# Step 1 of moving a Helm install of the0 to this program (the deployment doc's "Coming from the Helm chart"):
#
#   npm run migrate:from-helm -- --release <release> --namespace <its namespace> --stack <stack> [--to-namespace <ns>] [--kube-context <ctx>] [--yes]
#
#   reads the release (helm get values, the Secret its workloads run with) and writes the stack's config for a new
#   namespace (default <namespace>-next), with the release's credentials as the stack's secrets. Dry run unless --yes
#   (then the stack must exist, from npm run stack:init, and hold no resources yet). Prints the steps after it, which are
#   not scripted yet. Exit 2: a usage mistake; 3: a release that is not the0's chart, or a stack that holds resources.
set -euo pipefail
command -v helm >/dev/null || { echo "migrate-from-helm: helm is not on PATH" >&2; exit 2; }
# shellcheck source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
the0_stack_command migrate-from-helm 4 10 "$@"
