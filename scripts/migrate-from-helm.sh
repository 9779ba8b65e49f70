#!/usr/bin/env bash
# Moving a Helm install of the0 to this program, blue/green, with its data (the deployment doc's "Coming from the Helm chart"):
#
#   npm run migrate:from-helm -- --release <release> --namespace <its namespace> --stack <stack> [--to-namespace <ns>] [--kube-context <ctx>] [--yes]
#   npm run migrate:from-helm -- ... --finish --yes      after the DNS switch: keep the release's volumes, helm uninstall
#   npm run migrate:from-helm -- ... --rollback --yes    give up: the release's writers run again
#
#   reads the release (helm get values, the Secret its workloads run with) and prints the stack config it would write for
#   a new namespace (default <namespace>-next), with the release's credentials as the stack's secrets, and the steps. With
#   --yes: writes it (the stack must exist, from npm run stack:init, and hold no resources), pulumi up, stops the release's
#   writers, copies PostgreSQL, MongoDB and the buckets through the stack's backup target, runs the smoke check, prints the
#   downtime. A run cut off resumes where it stopped (ConfigMap <release>-migration beside the release).
#   Exit 2: a usage mistake; 3: refused (not the0's chart, a stack that holds resources, a step that failed); 4: smoke failed.
set -euo pipefail
command -v helm >/dev/null || { echo "migrate-from-helm: helm is not on PATH" >&2; exit 2; }
# shellcheck source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
the0_stack_command migrate-from-helm 4 14 "$@"
