#!/usr/bin/env bash
# Writes the kubeconfig of a cluster from a CI secret and points KUBECONFIG at it for the following
# steps ($GITHUB_ENV): KUBECONFIG_<STACK> (write; environment secret of the protected environment
# that runs up/destroy), or with `preview`, KUBECONFIG_PREVIEW_<STACK> (the read-only identity of
# scripts/preview-kubeconfig.sh; the only cluster credential pull requests see).
set -euo pipefail
stack="${1:?usage: ci-kubeconfig.sh staging|production [preview]}"
kind="${2:-}"
var="KUBECONFIG_${kind:+PREVIEW_}$(echo "$stack" | tr '[:lower:]' '[:upper:]')"
content="${!var:-}"
[ -n "$content" ] || { echo "::error::secret $var is not set"; exit 1; }
file="$RUNNER_TEMP/kubeconfig-$stack"
printf '%s\n' "$content" >"$file"
chmod 600 "$file"
echo "KUBECONFIG=$file" >>"$GITHUB_ENV"
