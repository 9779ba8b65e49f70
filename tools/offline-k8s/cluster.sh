#!/usr/bin/env bash
# Local Kubernetes control plane with simulated (kwok) nodes, for the0-infra's integration tests.
#
#   tools/offline-k8s/offline-k8s.sh cluster up [dev|cloud]   create the cluster (default dev) and print the kubeconfig path
#   tools/offline-k8s/offline-k8s.sh cluster down             delete it (also cleans up after a half-failed `up`)
#   tools/offline-k8s/offline-k8s.sh cluster status           cluster, components, nodes, storage classes
#   tools/offline-k8s/offline-k8s.sh cluster kubeconfig       print the kubeconfig path
#
# dev   = 1 node,  4 CPU / 8Gi allocatable (like `minikube start --cpus=4 --memory=8g`)
# cloud = 3 nodes, 4 CPU / 8Gi each, distinct kubernetes.io/hostname and topology.kubernetes.io/zone labels
#
# Real etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (the fake kubelet), all started by
# `kwokctl --runtime binary` from the binaries built by tools/offline-k8s/offline-k8s.sh build; nothing is downloaded, everything
# listens on 127.0.0.1. The kubeconfig is a file of its own in the toolchain cache (~/.kube/config is never
# touched): `export KUBECONFIG="$(tools/offline-k8s/offline-k8s.sh cluster kubeconfig)"`.
# StorageClass `standard` (default, Minikube's name): PVCs are provisioned and bound by kwok volume Stages taken
# from the kwok module in GOMODCACHE (renamed from `kwok-volume` to `standard`), any number of PVCs, e.g. a
# StatefulSet's volumeClaimTemplates. Pod Security Admission is on (kube-apiserver default).
# CRDs from the toolchain's crds/ (Prometheus Operator, cert-manager, Gateway API standard channel, CloudNativePG) are
# applied, and when bin/cert-manager-controller is built it runs as a local process against the cluster (ClusterIssuer
# Secrets in namespace cert-manager); THE0_CERT_MANAGER=0 leaves it out. Likewise the CloudNativePG operator
# (bin/cnpg-manager, namespace cnpg-system, no webhooks registered with the API server); THE0_CNPG=0 leaves it out.
# The CNPG operator dials its instance pods (https://<podIP>:8000): pods labelled cnpg.io/cluster get loopback IPs
# (127.10.x.y instead of kwok's 10.0.0.y), so that it stays on this machine; every other pod keeps kwok's 10.0.0.y
# (Endpoints/EndpointSlices refuse loopback addresses, so those Services have no endpoints).
set -euo pipefail

# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

CLUSTER_NAME="${THE0_CLUSTER_NAME:-the0}"
export KWOK_WORKDIR="$THE0_TC_KWOK_WORKDIR"
STATE_DIR="$THE0_TOOLCHAIN_DIR/cluster/$CLUSTER_NAME"
KUBECONFIG_FILE="$STATE_DIR/kubeconfig.yaml"
KWOK_CLUSTER_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME"
BIN="$THE0_TC_BIN"
KWOKCTL="$BIN/kwokctl"
KWOK_MODULE_DIR="$THE0_TOOLCHAIN_DIR/gomodcache/sigs.k8s.io/kwok@v$KWOK_VERSION"
# CRDs (toolchain step crds): Prometheus Operator (PodMonitor, ServiceMonitor, PrometheusRule), cert-manager and
# Gateway API standard channel, all applied at `up`.
CRD_DIR="$THE0_TOOLCHAIN_DIR/crds"
# cert-manager's controller (toolchain step cert-manager), a local process like the kube components but started by
# this script: pid file and log in the cluster's state dir. Its cluster resource namespace holds the Secrets that
# ClusterIssuers refer to (a CA's key pair).
CERT_MANAGER_BIN="$BIN/cert-manager-controller"
CERT_MANAGER_NAMESPACE="${THE0_CERT_MANAGER_NAMESPACE:-cert-manager}"
CERT_MANAGER_PID_FILE="$STATE_DIR/cert-manager-controller.pid"
CERT_MANAGER_LOG="$STATE_DIR/cert-manager-controller.log"
# The CloudNativePG operator (toolchain step cnpg: upstream's cmd/manager, run as `cnpg-manager controller`), a local
# process like cert-manager's. Out of a pod it needs: OPERATOR_NAMESPACE; its working directory to hold
# operator/manager_<arch> (the image's layout: it hashes that binary at start and reconciles no Cluster without it);
# a webhook serving certificate in WEBHOOK_CERT_DIR (with it set the operator skips its own PKI, which would need an
# operator Deployment, existing webhook configurations and the kubelet mounting its Secret). No webhook configuration
# is registered: the API server never calls it, and the operator applies the Cluster defaults itself.
CNPG_BIN="$BIN/cnpg-manager"
CNPG_NAMESPACE="${THE0_CNPG_NAMESPACE:-cnpg-system}"
CNPG_PID_FILE="$STATE_DIR/cnpg-manager.pid"
CNPG_LOG="$STATE_DIR/cnpg-manager.log"
CNPG_WORK_DIR="$STATE_DIR/cnpg"

NODE_CPU="${THE0_NODE_CPU:-4}"
NODE_MEMORY="${THE0_NODE_MEMORY:-8Gi}"
NODE_PODS="${THE0_NODE_PODS:-110}"

kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --cache-dir "$THE0_TOOLCHAIN_DIR/cluster/kube-cache" "$@"; }

require_toolchain() {
  local b missing=()
  for b in kwokctl kwok etcd kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    [ -x "$BIN/$b" ] || missing+=("$b")
  done
  [ ${#missing[@]} -eq 0 ] || the0_die "missing in $BIN: ${missing[*]} -- run tools/offline-k8s/offline-k8s.sh build first"
  [ -d "$KWOK_MODULE_DIR/kustomize/stage" ] ||
    the0_die "kwok module not in GOMODCACHE ($KWOK_MODULE_DIR) -- run tools/offline-k8s/offline-k8s.sh build first"
  compgen -G "$CRD_DIR/*.yaml" >/dev/null || the0_die "no CRDs in $CRD_DIR -- run tools/offline-k8s/offline-k8s.sh build first"
}

cluster_exists() { [ -d "$KWOK_CLUSTER_DIR" ]; }

# Stage objects for the kwok controller. Passing any Stage replaces kwokctl's defaults, so the default node and
# pod stages are listed too. All are taken unchanged from the kwok module, except that the volume stages select
# StorageClass `standard` instead of `kwok-volume`, and one stage of ours is added: pod-ready-loopback.
emit_stages() {
  local s="$KWOK_MODULE_DIR/kustomize/stage" f
  for f in "$s"/node/fast/node-initialize.yaml "$s"/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    "$s"/pod/fast/pod-ready.yaml "$s"/pod/fast/pod-complete.yaml "$s"/pod/fast/pod-delete.yaml; do
    [ -f "$f" ] || the0_die "missing kwok stage file $f"
    echo "---"
    cat "$f"
  done
  echo "---"
  loopback_pod_ready_stage "$s/pod/fast/pod-ready.yaml"
  for f in pv-bind pv-delete pvc-provision pvc-delete; do
    [ -f "$s/volume/fast/$f.yaml" ] || the0_die "missing kwok stage file $s/volume/fast/$f.yaml"
    echo "---"
    sed "s/'kwok-volume'/'standard'/g" "$s/volume/fast/$f.yaml"
  done
}

# kwok's pod-ready stage for the pods of CloudNativePG clusters (label cnpg.io/cluster), with their pod IPs moved from
# kwok's 10.0.0.0/24 into loopback (10.0.0.7 -> 127.10.0.7): the CNPG operator polls each instance at
# https://<podIP>:8000, and only 127.0.0.0/8 may be dialled here (nothing listens there: connection refused). Its
# weight makes kwok prefer it over pod-ready, which matches those pods too (a stage of weight 0 loses to one > 0).
loopback_pod_ready_stage() {
  local out
  out="$(sed -e 's/^  name: pod-ready$/  name: pod-ready-loopback/' \
    -e 's/^  resourceRef:$/  weight: 10000\n  resourceRef:/' \
    -e "s/^    matchExpressions:\$/    matchExpressions:\n    - key: '.metadata.labels[\"cnpg.io\/cluster\"]'\n      operator: 'Exists'/" \
    -e '/\$podIPs := PodIPsWith/,/phase: Running/{
      s/podIP: {{ index \. 0 | Quote }}/podIP: {{ regexReplaceAll "^[0-9]+[.][0-9]+[.]" (index . 0) "127.10." | Quote }}/
      s/- ip: {{ \. | Quote }}/- ip: {{ regexReplaceAll "^[0-9]+[.][0-9]+[.]" . "127.10." | Quote }}/
    }' "$1")"
  # the kwok module's stage changed shape: fail rather than let the operator dial 10.0.0.y
  [ "$(grep -c 'regexReplaceAll' <<<"$out")" = 2 ] && grep -q 'name: pod-ready-loopback' <<<"$out" &&
    grep -q 'weight: 10000' <<<"$out" && grep -qF '.metadata.labels["cnpg.io/cluster"]' <<<"$out" ||
    the0_die "cannot derive the loopback pod-ready stage from $1"
  echo "$out"
}

write_config() {
  cat <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: v$KUBE_VERSION
  etcdVersion: $ETCD_VERSION
  kubeApiserverBinary: $BIN/kube-apiserver
  kubeControllerManagerBinary: $BIN/kube-controller-manager
  kubeSchedulerBinary: $BIN/kube-scheduler
  kubectlBinary: $BIN/kubectl
  kwokControllerBinary: $BIN/kwok
  etcdBinary: $BIN/etcd
# Reach the "kubelet" (kwok, on 127.0.0.1) for exec/logs/port-forward by the node's InternalIP: the API server's default
# order tries the Hostname address first and asks this machine's DNS resolver for the node name. (The CNPG operator
# execs into an instance pod to take a barmanObjectStore backup.)
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: kubelet-preferred-address-types
    value: InternalIP
EOF
  emit_stages
}

# One fake node. $1 name, $2 zone ("" = no zone labels, like minikube).
node_manifest() {
  local name=$1 zone=$2
  cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: $name
    beta.kubernetes.io/arch: amd64
    beta.kubernetes.io/os: linux
    type: kwok
EOF
  if [ -n "$zone" ]; then
    cat <<EOF
    topology.kubernetes.io/region: local
    topology.kubernetes.io/zone: $zone
EOF
  fi
  cat <<EOF
status:
  # loopback, so that anything that dials the "kubelet" (logs, exec via kube-apiserver) stays on this machine
  addresses: [{type: InternalIP, address: 127.0.0.1}, {type: Hostname, address: $name}]
  allocatable: {cpu: "$NODE_CPU", memory: $NODE_MEMORY, pods: "$NODE_PODS", ephemeral-storage: 100Gi}
  capacity: {cpu: "$NODE_CPU", memory: $NODE_MEMORY, pods: "$NODE_PODS", ephemeral-storage: 100Gi}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: v$KUBE_VERSION}
EOF
}

storage_class_manifest() {
  cat <<'EOF'
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kwok.x-k8s.io/volume
reclaimPolicy: Delete
volumeBindingMode: Immediate
allowVolumeExpansion: true
EOF
}

# --- local controller processes (cert-manager, CloudNativePG): pid file and log in the state dir ------------------

# The pid recorded in pid file $1, if that process is still ours: its command line contains $2 (a recycled pid is
# left alone).
local_pid() {
  local pid_file=$1 name=$2 pid
  [ -f "$pid_file" ] || return 1
  pid="$(tr -dc '0-9' <"$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa "$name" "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

# Stop the process recorded in pid file $1 (named $2) by pid: SIGTERM, then SIGKILL after 10 s.
stop_local() {
  local pid_file=$1 name=$2 pid i
  if pid="$(local_pid "$pid_file" "$name")"; then
    the0_log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pid_file"
}

# Wait up to 60 s until process $1 (named $2) has written a line matching the awk regex $4 to its log $3 after line $5.
wait_local_ready() {
  local pid=$1 name=$2 log=$3 ready=$4 from=$5 deadline=$((SECONDS + 60))
  until awk -v n="$from" -v re="$ready" 'NR > n && $0 ~ re { f = 1 } END { exit !f }' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2
      the0_die "$name exited (log: $log)"
    fi
    [ $SECONDS -lt $deadline ] || the0_die "$name did not start within 60s (log: $log)"
    sleep 0.5
  done
}

cert_manager_wanted() { [ "${THE0_CERT_MANAGER:-1}" != 0 ] && [ -x "$CERT_MANAGER_BIN" ]; }
cert_manager_pid() { local_pid "$CERT_MANAGER_PID_FILE" cert-manager-controller; }
stop_cert_manager() { stop_local "$CERT_MANAGER_PID_FILE" cert-manager-controller; }

# (Re)start the controller against this cluster; the CRDs must be established. Without the Gateway API CRDs (an
# older crds/ build) it runs without the gateway-shim instead of failing.
start_cert_manager() {
  stop_cert_manager
  kc create namespace "$CERT_MANAGER_NAMESPACE" --dry-run=client -o yaml | kc apply -f - >&2
  local gateway=true
  [ -f "$CRD_DIR/gateway.networking.k8s.io_gateways.yaml" ] || gateway=false
  echo "--- $(date -u +%FT%TZ) start" >>"$CERT_MANAGER_LOG"
  local from
  from="$(wc -l <"$CERT_MANAGER_LOG")"
  # own session, stdin/stdout/stderr detached: it outlives this script and does not hold `$(... cluster up)` open
  setsid "$CERT_MANAGER_BIN" --kubeconfig "$KUBECONFIG_FILE" --cluster-resource-namespace "$CERT_MANAGER_NAMESPACE" \
    --enable-gateway-api="$gateway" -v=2 </dev/null >>"$CERT_MANAGER_LOG" 2>&1 &
  local pid=$!
  echo "$pid" >"$CERT_MANAGER_PID_FILE"
  # "enabled controllers" is logged once it has reached the API server and found the CRDs it needs
  wait_local_ready "$pid" cert-manager-controller "$CERT_MANAGER_LOG" 'enabled controllers' "$from"
  the0_log "cert-manager-controller running (pid $pid, log $CERT_MANAGER_LOG)"
}

cnpg_wanted() { [ "${THE0_CNPG:-1}" != 0 ] && [ -x "$CNPG_BIN" ]; }
cnpg_pid() { local_pid "$CNPG_PID_FILE" cnpg-manager; }
stop_cnpg() { stop_local "$CNPG_PID_FILE" cnpg-manager; }

# A TCP port nothing listens on at 127.0.0.1, from $1 upwards.
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do
    p=$((p + 1))
    [ "$p" -lt $(($1 + 200)) ] || the0_die "no free port in $1..$p"
  done
  echo "$p"
}

# (Re)start the CloudNativePG operator against this cluster; its CRDs must be established.
start_cnpg() {
  stop_cnpg
  if [ ! -f "$CRD_DIR/postgresql.cnpg.io_clusters.yaml" ]; then
    the0_log "not starting cnpg-manager: no CloudNativePG CRDs in $CRD_DIR (tools/offline-k8s/offline-k8s.sh build crds)"
    return 0
  fi
  command -v openssl >/dev/null || the0_die "openssl not found (it makes the CNPG operator's webhook certificate)"
  kc create namespace "$CNPG_NAMESPACE" --dry-run=client -o yaml | kc apply -f - >&2
  local arch
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
  # the image's layout (/operator/manager_<arch>), relative to the working directory
  mkdir -p "$CNPG_WORK_DIR/operator" "$CNPG_WORK_DIR/webhook" "$CNPG_WORK_DIR/plugins"
  ln -sfn "$CNPG_BIN" "$CNPG_WORK_DIR/operator/manager_$arch"
  # The webhook server's certificate, under the names OLM gives it. The server must start, but nothing calls it.
  if [ ! -s "$CNPG_WORK_DIR/webhook/apiserver.crt" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
      -subj "/CN=cnpg-webhook-service.$CNPG_NAMESPACE.svc" \
      -addext "subjectAltName=DNS:cnpg-webhook-service.$CNPG_NAMESPACE.svc,IP:127.0.0.1" \
      -keyout "$CNPG_WORK_DIR/webhook/apiserver.key" -out "$CNPG_WORK_DIR/webhook/apiserver.crt" >/dev/null 2>&1 ||
      the0_die "openssl could not make the CNPG webhook certificate"
  fi
  # The webhook server listens on all interfaces (the operator has no flag for its host), on a free port.
  local port
  port="$(free_port "${THE0_CNPG_WEBHOOK_PORT:-19443}")"
  echo "--- $(date -u +%FT%TZ) start (webhook port $port)" >>"$CNPG_LOG"
  local from
  from="$(wc -l <"$CNPG_LOG")"
  # own session, stdin/stdout/stderr detached (see start_cert_manager); metrics server off, no leader election
  (
    cd "$CNPG_WORK_DIR"
    KUBECONFIG="$KUBECONFIG_FILE" OPERATOR_NAMESPACE="$CNPG_NAMESPACE" WEBHOOK_CERT_DIR="$CNPG_WORK_DIR/webhook" \
      PLUGIN_SOCKET_DIR="$CNPG_WORK_DIR/plugins" exec setsid "$CNPG_BIN" controller --leader-elect=false \
      --metrics-bind-address=0 --webhook-port="$port" </dev/null >>"$CNPG_LOG" 2>&1
  ) &
  local pid=$!
  echo "$pid" >"$CNPG_PID_FILE"
  # "Starting workers" of the Cluster controller: caches synced, reconciling
  wait_local_ready "$pid" cnpg-manager "$CNPG_LOG" '"msg":"Starting workers".*"controllerKind":"Cluster"' "$from"
  the0_log "cnpg-manager running (pid $pid, log $CNPG_LOG)"
}

wait_for() { # $1 seconds, $2 description, rest: command
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || the0_die "timed out waiting for $what"
    sleep 1
  done
}

cmd_up() {
  local profile="${1:-dev}" nodes zones
  case $profile in
    dev) nodes=(the0-dev-0); zones=("") ;;
    cloud) nodes=(the0-cloud-0 the0-cloud-1 the0-cloud-2); zones=(local-a local-b local-c) ;;
    *) the0_die "unknown profile '$profile' (dev|cloud)" ;;
  esac
  require_toolchain
  if cluster_exists; then
    local current
    current="$(cat "$STATE_DIR/profile" 2>/dev/null || echo unknown)"
    if [ "$current" = "$profile" ] && kc get --raw /readyz >/dev/null 2>&1; then
      the0_log "cluster '$CLUSTER_NAME' ($profile) is already up"
      # e.g. the controller was built after `up`, or it died: start it (a running one is kept)
      if cert_manager_wanted && ! cert_manager_pid >/dev/null; then start_cert_manager; fi
      if cnpg_wanted && ! cnpg_pid >/dev/null; then start_cnpg; fi
      echo "$KUBECONFIG_FILE"
      return 0
    fi
    the0_die "cluster '$CLUSTER_NAME' exists (profile $current, or not healthy): run tools/offline-k8s/offline-k8s.sh cluster down first"
  fi
  mkdir -p "$STATE_DIR" "$KWOK_WORKDIR"
  stop_cert_manager # one left over from a cluster of this name that was not taken down
  stop_cnpg
  rm -f "$KUBECONFIG_FILE"
  echo "$profile" >"$STATE_DIR/profile"
  write_config >"$STATE_DIR/kwokctl.yaml"

  local t0=$SECONDS
  the0_log "creating cluster '$CLUSTER_NAME' ($profile): kwokctl --runtime binary, kube v$KUBE_VERSION, etcd v$ETCD_VERSION"
  # PATH: kwokctl looks for kubectl on PATH first; make it the version-matched one.
  if ! PATH="$BIN:$PATH" "$KWOKCTL" create cluster --name "$CLUSTER_NAME" --config "$STATE_DIR/kwokctl.yaml" \
    --kubeconfig "$KUBECONFIG_FILE" --wait 3m >"$STATE_DIR/create.log" 2>&1; then
    tail -n 30 "$STATE_DIR/create.log" >&2
    the0_die "kwokctl create cluster failed (log: $STATE_DIR/create.log; component logs: $KWOK_CLUSTER_DIR/logs); clean up with: tools/offline-k8s/offline-k8s.sh cluster down"
  fi

  local i
  {
    storage_class_manifest
    for i in "${!nodes[@]}"; do node_manifest "${nodes[$i]}" "${zones[$i]}"; done
  } | kc apply -f - >&2
  kc apply --server-side -f "$CRD_DIR" >&2
  kc wait --for condition=established --timeout=60s -f "$CRD_DIR" >&2
  wait_for 120 "nodes Ready" kc wait --for=condition=Ready node --all --timeout=5s
  # pods can only be created once the service account controller has made the default service account
  wait_for 60 "default service account" kc -n default get serviceaccount default
  if cert_manager_wanted; then start_cert_manager; fi
  if cnpg_wanted; then start_cnpg; fi
  the0_log "cluster '$CLUSTER_NAME' ($profile) up in $((SECONDS - t0))s; nodes: ${nodes[*]}"
  echo "$KUBECONFIG_FILE"
}

# Kill processes recorded in kwokctl's pid files for this cluster (only those; by pid).
kill_recorded_pids() {
  local f pid
  for f in "$KWOK_CLUSTER_DIR"/pids/*.pid; do
    [ -f "$f" ] || continue
    pid="$(tr -dc '0-9' <"$f")"
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}

cmd_down() {
  mkdir -p "$THE0_TOOLCHAIN_DIR/cluster"
  # first, so that they do not log errors against a vanishing API server
  stop_cert_manager
  stop_cnpg
  if [ -x "$KWOKCTL" ] && cluster_exists; then
    the0_log "deleting cluster '$CLUSTER_NAME'"
    "$KWOKCTL" delete cluster --name "$CLUSTER_NAME" --kubeconfig "$KUBECONFIG_FILE" >"$THE0_TOOLCHAIN_DIR/cluster/$CLUSTER_NAME-delete.log" 2>&1 ||
      the0_log "kwokctl delete failed (log: $THE0_TOOLCHAIN_DIR/cluster/$CLUSTER_NAME-delete.log); cleaning up by hand"
  fi
  if cluster_exists; then
    kill_recorded_pids
    sleep 1
    rm -rf "$KWOK_CLUSTER_DIR"
  fi
  rm -rf "$STATE_DIR"
  the0_log "cluster '$CLUSTER_NAME' is down"
}

cmd_status() {
  if ! cluster_exists; then
    echo "cluster '$CLUSTER_NAME': not created"
    return 1
  fi
  echo "cluster '$CLUSTER_NAME': profile $(cat "$STATE_DIR/profile" 2>/dev/null || echo unknown), kubeconfig $KUBECONFIG_FILE"
  "$KWOKCTL" get components --name "$CLUSTER_NAME" 2>/dev/null || true
  local pid
  if pid="$(cert_manager_pid)"; then
    echo "cert-manager-controller: running (pid $pid, log $CERT_MANAGER_LOG)"
  else
    echo "cert-manager-controller: not running"
  fi
  if pid="$(cnpg_pid)"; then
    echo "cnpg-manager: running (pid $pid, log $CNPG_LOG)"
  else
    echo "cnpg-manager: not running"
  fi
  if kc get --raw /readyz >/dev/null 2>&1; then
    kc get nodes -L topology.kubernetes.io/zone
    kc get storageclass
  else
    echo "kube-apiserver not ready"
    return 1
  fi
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kubeconfig) echo "$KUBECONFIG_FILE" ;;
  *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
