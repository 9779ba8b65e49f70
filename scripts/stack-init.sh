#!/usr/bin/env bash
# One-time bootstrap of a stack in a team's backend, so that the first `pulumi up` (by hand or by the
# deploy workflows) has nothing left to do by hand:
#
#   npm run stack:init -- <stack> [--backend <url>] [--secrets-provider <provider>] [--ephemeral]
#
#   --backend            where state lives: file://<dir>, s3://<bucket>, gs://<bucket>, azblob://<container>,
#                        or https://api.pulumi.com (Pulumi Cloud); default: the current `pulumi login`
#   --secrets-provider   passphrase (PULUMI_CONFIG_PASSPHRASE must be set), awskms://<key>, gcpkms://<key>,
#                        azurekeyvault://<vault>/keys/<key>, hashivault://<key>; default: passphrase, or
#                        Pulumi Cloud's own when the backend is Pulumi Cloud. Only takes effect at creation.
#   --ephemeral          a throwaway stack (a review or test stack): tags it the0:ephemeral=true, which is what
#                        the destroy workflow (.github/workflows/destroy.yml) requires before it destroys a stack
#
# Logs in, creates the stack (or selects it, and says so, when it exists), validates the stack's config the way
# the program will, naming every problem and every secret that still has to be set, and runs the preflight
# against the stack's cluster (npm run preflight).
# THE0_PROJECT_DIR runs it on another copy of the project (the e2e suite does).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/node.sh
source "$here/lib/node.sh"
the0_use_node22
the0_ensure_deps
cd "${THE0_PROJECT_DIR:-$here/..}"

usage() { sed -n '5,13p' "$here/stack-init.sh" | sed 's/^# \{0,1\}//' >&2; exit 2; }
stack="" backend="" provider="" ephemeral=false
while [ $# -gt 0 ]; do
  case $1 in
    --backend) backend="${2:?--backend needs a URL}"; shift 2 ;;
    --secrets-provider) provider="${2:?--secrets-provider needs a value}"; shift 2 ;;
    --ephemeral) ephemeral=true; shift ;;
    -h | --help) usage ;;
    -*) echo "stack-init: unknown option $1" >&2; usage ;;
    *) [ -z "$stack" ] || usage; stack=$1; shift ;;
  esac
done
[ -n "$stack" ] || usage
if [ "$ephemeral" = true ]; then
  case "$stack" in staging | production | dev) echo "stack-init: $stack is a long-lived stack and cannot be ephemeral" >&2; exit 2 ;; esac
fi
command -v pulumi >/dev/null || { echo "stack-init: the Pulumi CLI is not on PATH (install it, or: source \"\$(bash tools/offline-k8s/offline-k8s.sh env)\")" >&2; exit 1; }

if [ -n "$backend" ]; then pulumi login "$backend"; fi
if [ -z "$provider" ]; then
  case "${backend:-$(pulumi whoami --json 2>/dev/null | node -pe 'JSON.parse(require("fs").readFileSync(0)).url || ""')}" in
    https://api.pulumi.com*) provider=default ;;
    *) provider=passphrase ;;
  esac
fi
if [ "$provider" = passphrase ] && [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  echo "stack-init: the passphrase secrets provider needs PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)" >&2
  exit 1
fi

if pulumi stack select "$stack" 2>/dev/null; then
  echo "stack $stack exists in this backend: selected it (its secrets provider is the one it was created with)"
else
  pulumi stack init "$stack" --secrets-provider "$provider"
  echo "created stack $stack (secrets provider: $provider)"
fi

if [ "$ephemeral" = true ]; then
  pulumi stack tag set the0:ephemeral true --stack "$stack"
  echo "tagged stack $stack the0:ephemeral=true: the destroy workflow may destroy it"
fi

# The program's own validation, before anything touches a cluster: every problem at once.
pulumi config --stack "$stack" --json | npx ts-node --transpile-only "$here/stack-check.ts" "$stack"

# Then the stack's cluster: is it ready for what the stack creates (CRDs, StorageClasses, room, add-ons)? The stack
# and its stored credentials are kept either way (they do not depend on the cluster); what fails is said, for
# fixing before the first `pulumi up` (the deploy workflows stop on it).
if ! bash "$here/preflight.sh" --stack "$stack"; then
  echo "stack-init: the stack is ready, its cluster is not yet (the FAIL lines above): fix them before the first pulumi up" >&2
fi
