#!/usr/bin/env bash
# `npm run bench:startup`: builds (or reuses) the0's api from its release source and the real servers
# (tools/offline-k8s/offline-k8s.sh build the0 contract), then times the api's first start on a fresh
# install in both deploy orders (scripts/bench-startup.ts). No cluster: the pods run on this machine
# in private mount namespaces (tools/realPods/sandbox.ts), which needs root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22
the0_ensure_deps
bash tools/offline-k8s/offline-k8s.sh build the0 contract >/dev/null
# shellcheck disable=SC1091
source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
# shellcheck source=lib/servers.sh
source scripts/lib/servers.sh
the0_ensure_server_helpers
npx ts-node --transpile-only scripts/bench-startup.ts
