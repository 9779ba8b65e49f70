#!/usr/bin/env bash
# `npm run bench`: builds (or reuses) the offline toolchain (Helm included, for the0's chart), starts
# the local dev cluster, runs the benchmark (scripts/bench.ts) and stops the cluster whatever happens.
# THE0_BENCH_RUNS sets the rounds per figure (default 5, after one warm-up round).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/offline-k8s/offline-k8s.sh build e2e >/dev/null
bash tools/offline-k8s/offline-k8s.sh build helm >/dev/null
# shellcheck disable=SC1091
source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund --ignore-scripts
trap 'bash tools/offline-k8s/offline-k8s.sh cluster down >/dev/null 2>&1 || true' EXIT
bash tools/offline-k8s/offline-k8s.sh cluster down >/dev/null 2>&1 || true
bash tools/offline-k8s/offline-k8s.sh cluster up dev >/dev/null
KUBECONFIG="$(bash tools/offline-k8s/offline-k8s.sh cluster kubeconfig)" npx ts-node --transpile-only scripts/bench.ts
