#!/usr/bin/env bash
# End-to-end suite: builds (or reuses) the offline toolchain, then for each profile starts the local control plane,
# runs tests/e2e with the Automation API against it, and stops the cluster whatever happens.
#
#   scripts/e2e.sh              dev (1 node), then cloud (3 nodes: the platform, then operations that go wrong),
#                               then production's protected data (3 nodes)
#   scripts/e2e.sh dev|cloud|production    one of them
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(dev cloud production)

bash tools/offline-k8s/offline-k8s.sh build e2e
# shellcheck disable=SC1091
source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22
the0_ensure_deps

trap 'bash tools/offline-k8s/offline-k8s.sh cluster down >/dev/null 2>&1 || true' EXIT
for profile in "${profiles[@]}"; do
  echo "=== e2e: $profile profile ==="
  bash tools/offline-k8s/offline-k8s.sh cluster down >/dev/null 2>&1 || true
  case $profile in
    dev) nodes=dev; suite="tests/e2e/platform.e2e.ts tests/e2e/bootstrap.e2e.ts tests/e2e/addons.e2e.ts tests/e2e/preflight.e2e.ts tests/e2e/gitops.e2e.ts tests/e2e/quickstart.e2e.ts tests/e2e/adoption.e2e.ts tests/e2e/migrate.e2e.ts tests/e2e/upgrade.e2e.ts tests/e2e/cloudnativePg.e2e.ts" ;;
    cloud) nodes=cloud; suite="tests/e2e/platform.e2e.ts tests/e2e/operations.e2e.ts" ;;
    production) nodes=cloud; suite=tests/e2e/protect.e2e.ts ;;
    *) echo "unknown profile $profile (dev|cloud|production)" >&2; exit 2 ;;
  esac
  bash tools/offline-k8s/offline-k8s.sh cluster up "$nodes"
  # shellcheck disable=SC2086 # $suite is one or more spec files
  KUBECONFIG="$(bash tools/offline-k8s/offline-k8s.sh cluster kubeconfig)" THE0_E2E_PROFILE="$profile" \
    THE0_E2E_LOG="${THE0_E2E_LOG_DIR:-/tmp}/the0-e2e-$profile.log" \
    npx mocha --config .mocharc.e2e.json $suite
  bash tools/offline-k8s/offline-k8s.sh cluster down
done
