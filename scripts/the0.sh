#!/usr/bin/env bash
# `npm run test:the0`: the0's own processes on what the program renders. Builds (or reuses) the0's api and runtime
# from its release source (../shared/peers/the0-src, tools/offline-k8s/offline-k8s.sh build the0), the contract
# suite's real servers and the local control plane; starts the dev cluster, runs tests/the0, and stops the cluster
# whatever happens. the0's processes run in private mount namespaces (tools/realPods/sandbox.ts), which needs root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22
the0_ensure_deps

bash tools/offline-k8s/offline-k8s.sh build the0 contract e2e
# shellcheck disable=SC1091
source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
# shellcheck source=lib/servers.sh
source scripts/lib/servers.sh
the0_ensure_server_helpers

trap 'bash tools/offline-k8s/offline-k8s.sh cluster down >/dev/null 2>&1 || true' EXIT
bash tools/offline-k8s/offline-k8s.sh cluster down >/dev/null 2>&1 || true
THE0_CERT_MANAGER=0 bash tools/offline-k8s/offline-k8s.sh cluster up dev  # no Issuer or Certificate is created here
KUBECONFIG="$(bash tools/offline-k8s/offline-k8s.sh cluster kubeconfig)" npx mocha --config .mocharc.the0.json "$@"
