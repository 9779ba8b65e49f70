#!/usr/bin/env bash
# Local the0 on Minikube: starts Minikube with the size the minikube profile is sized for and the
# addons the dev stack uses, deploys the dev stack (scripts/deploy-dev.sh), then prints the
# /etc/hosts line and the URLs from the stack outputs.
#   MINIKUBE_CPUS (4), MINIKUBE_MEMORY (8g), MINIKUBE_DISK (20g), MINIKUBE_DRIVER (minikube's default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v minikube >/dev/null || { echo "minikube is not installed: https://minikube.sigs.k8s.io/docs/start/" >&2; exit 1; }
command -v pulumi >/dev/null || { echo "the Pulumi CLI is not installed: https://www.pulumi.com/docs/install/" >&2; exit 1; }

if ! minikube status >/dev/null 2>&1; then
  minikube start --cpus="${MINIKUBE_CPUS:-4}" --memory="${MINIKUBE_MEMORY:-8g}" --disk-size="${MINIKUBE_DISK:-20g}" \
    ${MINIKUBE_DRIVER:+--driver="$MINIKUBE_DRIVER"}
fi
minikube addons enable ingress
minikube addons enable metrics-server
kubectl config use-context minikube >/dev/null

bash scripts/deploy-dev.sh

export PULUMI_BACKEND_URL="file://${THE0_STATE_DIR:-$PWD/.pulumi-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-dev}"
ip="$(minikube ip)"
hosts="$(pulumi stack output --stack dev hostnames --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).join(" ")))')"
echo
echo "Add this line to /etc/hosts (sudo):"
echo "  $ip $hosts"
echo
echo "URLs:"
pulumi stack output --stack dev urls --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for (const [k,v] of Object.entries(JSON.parse(s))) console.log(`  ${k.padEnd(9)} ${v}`)})'
echo "  console   http://minio.the0.local:30003"
echo
echo "Root admin: admin@the0.local; password:"
echo "  kubectl -n the0 get secret the0-secrets -o jsonpath='{.data.admin-password}' | base64 -d"
