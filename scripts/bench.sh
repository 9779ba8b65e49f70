#!/usr/bin/env bash
# `npm run bench`: builds (or reuses) the offline toolchain, starts the local dev cluster, runs the
# benchmark (scripts/bench.ts) and stops the cluster whatever happens. THE0_BENCH_RUNS sets the runs
# per figure (default 3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/toolchain.sh >/dev/null
# shellcheck disable=SC1091
source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund --ignore-scripts
trap 'bash scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT
bash scripts/cluster.sh down >/dev/null 2>&1 || true
bash scripts/cluster.sh up dev >/dev/null
KUBECONFIG="$(bash scripts/cluster.sh kubeconfig)" npx ts-node --transpile-only scripts/bench.ts
