#!/usr/bin/env bash
# The quick start's main command: deploy the dev stack, state in a local file backend with a passphrase.
#
# With a `minikube` kube context and a `pulumi` CLI on PATH it deploys the cluster add-ons (cluster-addons/, stack dev:
# cert-manager) and then stack `dev` (Pulumi.dev.yaml) to Minikube.
# Otherwise it builds the offline toolchain (tools/offline-k8s/offline-k8s.sh build), starts the local simulated cluster
# (tools/offline-k8s/offline-k8s.sh cluster up dev) and deploys stack `dev-local`: the dev stack's config, pointed at that cluster, with
# Ingress off (no ingress controller or chart repository there). Re-running it updates the deployment.
#
#   PULUMI_CONFIG_PASSPHRASE   passphrase of the stack's secrets (default: dev)
#   THE0_STATE_DIR             file backend directory (default: ./.pulumi-state)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
the0_use_node22

# Whether the passphrase is the documented default decides what the closing lines may print (never a chosen one).
passphrase_note="yours"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ]; then passphrase_note="dev, the default"; fi
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-dev}"
export PULUMI_SKIP_UPDATE_CHECK=true
STATE_DIR="${THE0_STATE_DIR:-$PWD/.pulumi-state}"
mkdir -p "$STATE_DIR"
export PULUMI_BACKEND_URL="file://$STATE_DIR"

the0_ensure_deps

if command -v pulumi >/dev/null && kubectl config get-contexts minikube >/dev/null 2>&1; then
  STACK=dev
  echo "deploying stack dev to the minikube context"
else
  STACK=dev-local
  echo "no minikube context (or no pulumi CLI): deploying stack dev-local to a local simulated cluster (kwok: objects are real, containers never run)"
  echo "for the real path: install the Pulumi CLI (https://www.pulumi.com/docs/install/), run \`minikube start --cpus=4 --memory=8g\` and \`minikube addons enable ingress\`, then run this again"
  echo "building the offline toolchain first (Pulumi CLI, providers, control plane, cert-manager): about 22 minutes the first time, seconds afterwards"
  bash tools/offline-k8s/offline-k8s.sh build e2e
  # shellcheck disable=SC1091
  source "${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh"
  # A cluster of the other profile, or one whose processes are gone (after a reboot), is recreated.
  bash tools/offline-k8s/offline-k8s.sh cluster up dev || { bash tools/offline-k8s/offline-k8s.sh cluster down && bash tools/offline-k8s/offline-k8s.sh cluster up dev; }
  KUBECONFIG="$(bash tools/offline-k8s/offline-k8s.sh cluster kubeconfig)"
  export KUBECONFIG
fi

if ! pulumi stack select "$STACK" 2>/dev/null; then
  if [ "$STACK" = dev-local ]; then cp Pulumi.dev.yaml Pulumi.dev-local.yaml; fi
  pulumi stack init "$STACK" --secrets-provider passphrase
fi

if [ "$STACK" = dev-local ]; then
  pulumi config set --stack "$STACK" kubeContext "$(kubectl config current-context)"
  pulumi config set --stack "$STACK" --path ingress.enabled false
  # Without the random provider plugin (not buildable offline) the secrets are generated here instead.
  if ! command -v pulumi-resource-random >/dev/null && [ ! -d "${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-random-v4.21.2" ]; then
    for key in postgresPassword mongoRootPassword minioAccessKey minioSecretKey jwtSecret rootAdminPassword; do
      if [ -z "$(pulumi config get --stack "$STACK" "$key" 2>/dev/null)" ]; then
        node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))' |
          pulumi config set --stack "$STACK" --secret "$key"
      fi
    done
  fi
fi

if [ "$STACK" = dev ]; then
  # cert-manager is cluster-wide: the cluster-addons project's, deployed once before any platform stack (same backend).
  echo "deploying the cluster add-ons (cluster-addons/, stack dev: cert-manager)"
  (
    cd cluster-addons
    pulumi stack select dev 2>/dev/null || pulumi stack init dev --secrets-provider passphrase
    pulumi up --yes --stack dev --skip-preview
  )
fi
pulumi up --yes --stack "$STACK" --skip-preview

# The plain pulumi commands in this checkout use the CLI's current backend and the project's selected stack: make
# them this run's, so `pulumi preview`, `pulumi up`, `pulumi config set --secret` and `pulumi destroy` work as written.
# (`pulumi login` stores the backend in the CLI's credentials; PULUMI_BACKEND_URL is set for this run only.)
credentials="${PULUMI_HOME:-$HOME/.pulumi}/credentials.json"
previous="$(node -e 'try { process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).current || "") } catch {}' "$credentials")"
env -u PULUMI_BACKEND_URL pulumi login "$PULUMI_BACKEND_URL" >/dev/null
pulumi stack select "$STACK"
echo
if [ -n "$previous" ] && [ "$previous" != "$PULUMI_BACKEND_URL" ]; then
  echo "the pulumi CLI now uses this backend, $PULUMI_BACKEND_URL (it used $previous: \`pulumi login $previous\` goes back)"
else
  echo "the pulumi CLI now uses this backend, $PULUMI_BACKEND_URL"
fi
echo "plain pulumi commands in this checkout work on stack $STACK (selected): pulumi preview, pulumi up, pulumi config set --secret <key>, pulumi destroy"
echo "  the passphrase is asked for, or read from PULUMI_CONFIG_PASSPHRASE (this run used $passphrase_note)"
if [ "$STACK" = dev-local ]; then
  echo "  in a new shell, first put this machine's Pulumi CLI and the local cluster in reach:"
  echo "    source ${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}/env.sh && export KUBECONFIG=\"$KUBECONFIG\""
fi
echo
echo "URLs:"
pulumi stack output --stack "$STACK" urls
if [ "$STACK" = dev ]; then
  echo "Add to /etc/hosts:  $(minikube ip) $(pulumi stack output --stack "$STACK" hostnames | tr -d '[]",' | xargs)"
  echo
  # Does the0 work? The in-cluster checks now; the hosts' TLS checks need the /etc/hosts line above.
  echo "smoke check (in the cluster; after adding the hosts line, \`npm run smoke -- --stack dev\` checks the hosts' TLS too):"
  bash scripts/smoke.sh --stack dev --no-external
else
  echo "The local cluster's pods are simulated (kwok): objects are real, processes are not."
  echo "Inspect: KUBECONFIG=$KUBECONFIG kubectl -n the0 get all"
fi
