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
# shellcheck source=lib/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/node.sh"
the0_stack_command preflight 4 8 "$@"
