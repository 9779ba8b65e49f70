#!/usr/bin/env bash
# Lints .github/workflows and .github/actions with actionlint, built from the Go module proxy into the
# toolchain cache on first use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACTIONLINT_VERSION=v1.7.12
cache="${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}"
bin="$cache/bin/actionlint"
if [ ! -x "$bin" ] || ! "$bin" -version | head -1 | grep -qx "$ACTIONLINT_VERSION"; then
  mkdir -p "$cache/bin"
  GOBIN="$cache/bin" GOMODCACHE="$cache/gomodcache" GOCACHE="$cache/gocache" GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
"$bin" -no-color .github/workflows/*.yml
echo "actionlint $ACTIONLINT_VERSION: $(ls .github/workflows/*.yml | wc -l) workflows clean"
