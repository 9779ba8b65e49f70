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
# From Debian: pg_isready and psql (a PostgreSQL client; 15 here) for the probes, and nss_wrapper to give the
# PostgreSQL pod's uid 70 a passwd entry (as the postgres image does for arbitrary uids).
missing=()
[ -x /usr/lib/postgresql/15/bin/pg_isready ] || command -v pg_isready >/dev/null || missing+=(postgresql-client)
[ -e /usr/lib/x86_64-linux-gnu/libnss_wrapper.so ] || missing+=(libnss-wrapper)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from Debian" >&2
  apt-get install -y -q "${missing[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" >&2; }
fi
npx mocha --config .mocharc.contract.json "$@"
