// The allowed network paths, derived from the service catalog's declared dependencies: nothing
// here names an app service. Add a dependency to the catalog and its path opens; remove it and
// the path closes. NetworkPolicies (policies.ts) are rendered from this graph.
import { BACKUP_STORE_REGISTRY } from "../model/backupStores";
import { CATALOG, CatalogEntry, Dependency } from "../model/catalog";
import { DATA_SERVICE_REGISTRY } from "../model/dataServices";
import { PORTS } from "../model/ports";
import { SMOKE_COMPONENT, SMOKE_DEPENDS_ON } from "../model/smokeCheck";
import { DeploymentPlan } from "../plan/plan";
import { CNPG_OPERATOR_LABELS, CNPG_PORTS } from "../plan/postgresCluster";

/** Something traffic comes from or goes to. */
export type Peer =
    | { pod: string } // pods of one component in the platform namespace
    | { bots: true } // bot pods the bot-controller creates
    | { acmeSolver: true } // cert-manager's HTTP-01 solver pods
    | { dns: true }
    | { kubeApi: true }
    | { ingressController: string } // the namespace it runs in
    | { monitoring: string } // the namespace the Prometheus runs in
    | { operator: { namespace: string; labels: Readonly<Record<string, string>> } } // an operator's pods in its own namespace
    | { anywhere: "nodePort" | "internet" | "external" }; // outside the cluster

export interface Edge {
    from: Peer;
    to: Peer;
    ports: number[];
    /** Why this path exists (for docs and test messages). */
    reason: string;
}

/** The port bot pods serve queries on (the0's runtime `--query-server`). */
export const BOT_QUERY_PORT = 9476;
const KUBE_API_PORTS = [443, 6443];
const DNS_PORT = 53;
/** cert-manager's HTTP-01 solver pods listen here. */
const ACME_SOLVER_PORT = 8089;

export function networkGraph(plan: DeploymentPlan, catalog: readonly CatalogEntry[] = CATALOG): Edge[] {
    const cfg = plan.config;
    const edges: Edge[] = [];
    const components: string[] = [];

    for (const entry of catalog) {
        if (!cfg.apps[entry.key].enabled) continue;
        components.push(entry.component);
        const self = { pod: entry.component };
        edges.push(...dependencyEdges(plan, self, entry.key, entry.dependsOn, catalog));
        if (entry.rbac) {
            edges.push({ from: self, to: { kubeApi: true }, ports: KUBE_API_PORTS, reason: `${entry.key} talks to the Kubernetes API` });
        }
        if (entry.ingressHost && cfg.ingress.enabled) {
            const port = entry.ports.find((p) => p.exposed)!;
            const by = cfg.ingress.mode === "gateway" ? "the Gateway's proxies serve" : "the ingress controller serves";
            edges.push({ from: { ingressController: cfg.ingress.controllerNamespace }, to: self, ports: [port.containerPort], reason: `${by} ${entry.key}` });
        }
        if (cfg.nodePorts.enabled) {
            const nodePorts = entry.ports.filter((p) => p.nodePort).map((p) => p.containerPort);
            if (nodePorts.length > 0) edges.push({ from: { anywhere: "nodePort" }, to: self, ports: nodePorts, reason: `${entry.key} is reached on a NodePort` });
        }
    }

    // The bot-controller runs bots as pods in this namespace and queries them.
    if (cfg.apps.botController.enabled) {
        edges.push({ from: { pod: "bot-controller" }, to: { bots: true }, ports: [BOT_QUERY_PORT], reason: "bot-controller queries bot pods" });
        const store = plan.stores.objectStorage;
        const storage = store.inCluster
            ? { to: { pod: DATA_SERVICE_REGISTRY.objectStorage.component }, ports: [store.port] }
            : { to: { anywhere: "external" as const }, ports: [store.port] };
        edges.push({ from: { bots: true }, ...storage, reason: "bot pods sync code and state with object storage" });
        edges.push({ from: { bots: true }, to: { anywhere: "internet" }, ports: [], reason: "bots trade on the internet" });
    }

    // Peers of clustered data services.
    if (plan.natsClustered) {
        edges.push({ from: { pod: "nats" }, to: { pod: "nats" }, ports: [PORTS.natsCluster], reason: "NATS routes between peers" });
    }
    if (plan.objectStorageDistributed) {
        edges.push({ from: { pod: "minio" }, to: { pod: "minio" }, ports: [PORTS.minioApi], reason: "distributed MinIO peers" });
    }
    if (cfg.nodePorts.enabled && plan.inClusterStores.includes("objectStorage")) {
        edges.push({ from: { anywhere: "nodePort" }, to: { pod: "minio" }, ports: [PORTS.minioApi, PORTS.minioConsole], reason: "object storage is reached on NodePorts" });
    }
    if (cfg.ingress.enabled && cfg.ingress.tlsIssuer.startsWith("letsencrypt")) {
        edges.push({ from: { ingressController: cfg.ingress.controllerNamespace }, to: { acmeSolver: true }, ports: [ACME_SOLVER_PORT], reason: "HTTP-01 challenges reach cert-manager's solver" });
    }

    // A CloudNativePG Cluster (its pods carry the postgres selector labels): the operator asks each instance's
    // manager for its status and connects to PostgreSQL; replicas stream from the primary; the instance
    // managers read their Cluster from the API; with backups on, every instance archives WAL to the target.
    const pgc = plan.postgresCluster;
    if (pgc) {
        const self = { pod: DATA_SERVICE_REGISTRY.postgres.component };
        const operator = { operator: { namespace: pgc.operatorNamespace, labels: CNPG_OPERATOR_LABELS } };
        edges.push({ from: operator, to: self, ports: [CNPG_PORTS.status, CNPG_PORTS.postgres], reason: "the CloudNativePG operator manages its instances" });
        edges.push({ from: self, to: self, ports: [CNPG_PORTS.postgres, CNPG_PORTS.status], reason: "CloudNativePG replicas stream from the primary" });
        edges.push({ from: self, to: { kubeApi: true }, ports: KUBE_API_PORTS, reason: "CloudNativePG's instance manager talks to the Kubernetes API" });
        const target = plan.backups?.target;
        if (pgc.archive && target) {
            edges.push(target.inCluster
                ? { from: self, to: { pod: DATA_SERVICE_REGISTRY.objectStorage.component }, ports: [target.port], reason: "PostgreSQL archives WAL and base backups to the in-cluster backup bucket" }
                : { from: self, to: { anywhere: "external" }, ports: [target.port], reason: "PostgreSQL archives WAL and base backups to the backup target" });
        }
    }

    // The Prometheus reaches exactly the metrics ports.
    for (const source of plan.measured) {
        edges.push({ from: { monitoring: cfg.monitoring.namespace }, to: { pod: source.component }, ports: [source.port.number], reason: `Prometheus scrapes ${source.key} metrics` });
    }

    // Each backup job (and the restore of its store) reaches exactly its store and the target.
    const backupComponents: string[] = [];
    for (const { store } of plan.backups?.stores ?? []) {
        const self = { pod: BACKUP_STORE_REGISTRY[store].component };
        backupComponents.push(self.pod);
        const data = DATA_SERVICE_REGISTRY[store];
        edges.push({ from: self, to: { pod: data.component }, ports: [data.clientPort], reason: `backup and restore of ${store}` });
        const target = plan.backups!.target;
        if (!target.inCluster) edges.push({ from: self, to: { anywhere: "external" }, ports: [target.port], reason: `${store} backups go to the backup target` });
        else if (store !== "objectStorage") edges.push({ from: self, to: { pod: DATA_SERVICE_REGISTRY.objectStorage.component }, ports: [target.port], reason: `${store} backups go to the in-cluster backup bucket` });
    }

    // The post-deploy check (`npm run smoke`) reaches what its checks need, declared like a catalog entry's dependencies.
    edges.push(...dependencyEdges(plan, { pod: SMOKE_COMPONENT }, "smoke check", SMOKE_DEPENDS_ON, catalog));

    // Everyone resolves names.
    const stores = [...plan.inClusterStores.map((k) => DATA_SERVICE_REGISTRY[k].component), ...(pgc ? [DATA_SERVICE_REGISTRY.postgres.component] : [])];
    const all: string[] = [...components, SMOKE_COMPONENT, ...backupComponents, ...stores];
    for (const component of all) edges.push({ from: { pod: component }, to: { dns: true }, ports: [DNS_PORT], reason: "DNS" });
    if (cfg.apps.botController.enabled) edges.push({ from: { bots: true }, to: { dns: true }, ports: [DNS_PORT], reason: "DNS" });
    return edges;
}

/** The paths a workload's declared dependencies open: to each in-cluster data service or enabled app, or out of the cluster. */
function dependencyEdges(plan: DeploymentPlan, self: Peer, who: string, deps: readonly Dependency[], catalog: readonly CatalogEntry[]): Edge[] {
    const cfg = plan.config;
    const edges: Edge[] = [];
    for (const dep of deps) {
        if ("data" in dep) {
            const at = plan.stores[dep.data];
            if (!at.enabled) continue;
            if (at.inCluster || at.operated) {
                const target = DATA_SERVICE_REGISTRY[dep.data];
                edges.push({ from: self, to: { pod: target.component }, ports: [target.clientPort], reason: `${who} uses ${dep.data}` });
            } else {
                edges.push({ from: self, to: { anywhere: "external" }, ports: [at.port], reason: `${who} uses external ${dep.data}` });
            }
        } else {
            const target = catalog.find((e) => e.key === dep.app)!;
            if (!cfg.apps[dep.app].enabled) continue;
            const port = target.ports.find((p) => p.name === dep.port)!;
            edges.push({ from: self, to: { pod: target.component }, ports: [port.containerPort], reason: `${who} calls ${dep.app}` });
        }
    }
    return edges;
}
