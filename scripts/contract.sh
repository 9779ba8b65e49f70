#!/usr/bin/env bash
# Contract suite: builds (or reuses) the real servers and the0's runtime client from the registries
# (tools/offline-k8s/offline-k8s.sh build contract), then runs tests/contract: servers started on 127.0.0.1 with what
# the program renders, the0's own client libraries connecting with the env it gives each container.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22
the0_ensure_deps

bash tools/offline-k8s/offline-k8s.sh build contract
# shellcheck disable=SC1091
source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
# shellcheck source=lib/servers.sh
source scripts/lib/servers.sh
the0_ensure_server_helpers
npx mocha --config .mocharc.contract.json "$@"
