#!/usr/bin/env bash
# The offline toolchain and the local simulated cluster, apart from the product, behind one entry point.
# Everything is built from the registries (Go module proxy, npm) into a cache outside the repo
# (${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}); docs/toolchain.md says what, from where, how long.
#
#   offline-k8s.sh build [--force] [e2e|contract|STEP...]   build what is missing (default: every step)
#   offline-k8s.sh env | versions                           the env file to `source`; the built versions
#   offline-k8s.sh resolve MODULE                           maintainer: re-resolve modules/MODULE/go.mod+go.sum
#   offline-k8s.sh cluster up [dev|cloud] | down | status | kubeconfig
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-help}" in
  cluster) shift; exec bash "$here/cluster.sh" "$@" ;;
  build | env | versions | resolve) exec bash "$here/toolchain.sh" "$@" ;;
  help | -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "offline-k8s.sh: unknown command '$1' (build, env, versions, resolve, cluster)" >&2; exit 2 ;;
esac
