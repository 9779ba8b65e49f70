#!/usr/bin/env bash
# Writes the kubeconfig of a cluster from the CI secret KUBECONFIG_<STAGING|PRODUCTION> and points
# KUBECONFIG at it for the following steps ($GITHUB_ENV).
set -euo pipefail
stack="${1:?usage: ci-kubeconfig.sh staging|production}"
var="KUBECONFIG_$(echo "$stack" | tr '[:lower:]' '[:upper:]')"
content="${!var:-}"
[ -n "$content" ] || { echo "::error::secret $var is not set"; exit 1; }
file="$RUNNER_TEMP/kubeconfig-$stack"
printf '%s\n' "$content" >"$file"
chmod 600 "$file"
echo "KUBECONFIG=$file" >>"$GITHUB_ENV"
