#!/usr/bin/env bash
# Writes a kubeconfig for a stack's read-only preview identity (the stack output previewServiceAccount),
# for `pulumi preview --refresh` in pull requests: the current context's cluster, a token from the
# TokenRequest API, and the same context name, so the stack's kubeContext setting still applies.
#
#   bash scripts/preview-kubeconfig.sh <out-file> [service-account] [namespace] [duration]
#     defaults: the0-preview, the0, 8760h (the API server may cap it; re-run before it expires)
# Store the file as the repository secret KUBECONFIG_PREVIEW_<STACK> (docs/kubernetes-deployment.md §12).
set -euo pipefail
out="${1:?usage: preview-kubeconfig.sh <out-file> [service-account] [namespace] [duration]}"
sa="${2:-the0-preview}" ns="${3:-the0}" duration="${4:-8760h}"

context="$(kubectl config current-context)"
server="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
ca="$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
if [ -z "$ca" ]; then
  ca_file="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.certificate-authority}')"
  [ -n "$ca_file" ] && ca="$(base64 -w0 <"$ca_file")"
fi
token="$(kubectl create token "$sa" -n "$ns" --duration "$duration")"

umask 077
cat >"$out" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: $context
    cluster:
      server: $server
      ${ca:+certificate-authority-data: $ca}
users:
  - name: $sa
    user:
      token: $token
contexts:
  - name: $context
    context:
      cluster: $context
      user: $sa
      namespace: $ns
current-context: $context
KUBECONFIG
echo "wrote $out: $sa in $ns, read-only, context $context" >&2
