// `npm run preflight -- --stack <s>`: before the first `up`, is the stack's cluster ready for what the
// stack will create? The stack is rendered under mocks (what it would register), then the cluster is
// asked, one line per check: reachable with the stack's context; the CRDs of every custom kind it
// creates, serving the version it uses; the StorageClasses its volumes name (or a default); the
// metrics API when it has autoscalers; the CloudNativePG operator when PostgreSQL is its Cluster;
// allocatable CPU and memory for its requests; the add-ons stack's outputs when it reads them. Exit 0 when all pass, 1 when any fails, 2 for a usage mistake.
import { execFileSync } from "child_process";
import { PlatformConfig } from "../../components/config/types";
import { parseQuantity } from "../../components/config/validate";
import { kindOfType } from "../../components/k8s/createdKinds";
import { build, Model, podSpecOf, T, unwrap } from "../render/render";
import { rawStackConfig } from "../stack/stackConfig";
import { CheckLine, formatLine } from "./smoke";
import { UsageError } from "./usage";
// Scripts catch it from here to exit 2.
export { UsageError };

const USAGE = "usage: npm run preflight -- --stack <stack>";

export function parseArgs(argv: string[]): { stack: string } {
    let stack = "";
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--stack" && argv[i + 1]) stack = argv[++i];
        else throw new UsageError(`unknown argument ${argv[i]}\n${USAGE}`);
    }
    if (!stack) throw new UsageError(USAGE);
    return { stack };
}

/** Groups the API server serves itself; a kind in any other group needs a CRD. */
const BUILT_IN_GROUPS = new Set(["", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io"]);

/** What the stack will ask of the cluster, read from its rendering. */
export interface Demands {
    /** CRD name -> the API version the stack uses (gateways.gateway.networking.k8s.io -> v1). */
    crds: Map<string, string>;
    /** StorageClasses the volumes name; "" is the cluster's default. */
    storageClasses: Set<string>;
    autoscalers: boolean;
    /** Requests of every long-running pod at its replica count (CronJobs' runs are short and left out). */
    requests: { cpu: number; memory: number };
    /** postgres.mode cloudnative-pg: the namespace its operator must run in. */
    cnpgOperatorNamespace?: string;
}

/** The CloudNativePG Cluster's kind token, and its operator's pods as the release manifest labels them. */
const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const CNPG_OPERATOR_SELECTOR = "app.kubernetes.io/name=cloudnative-pg";

export function demandsOf(m: Model): Demands {
    const crds = new Map<string, string>();
    for (const r of m.resources) {
        const match = /^kubernetes:([^/]+)\/(v[^:]+):\w+$/.exec(r.type);
        const kind = kindOfType(r.type);
        if (!match || !kind || BUILT_IN_GROUPS.has(kind.apiGroup) || match[1] === "helm.sh" || match[1] === "core") continue;
        crds.set(`${kind.resource}.${kind.apiGroup}`, match[2]);
    }
    const storageClasses = new Set<string>();
    const requests = { cpu: 0, memory: 0 };
    // An autoscaled Deployment runs at least its autoscaler's minimum.
    const minReplicas = new Map(m.ofType(T.HPA).map((h) => [unwrap(h.inputs).spec.scaleTargetRef.name, unwrap(h.inputs).spec.minReplicas ?? 1]));
    for (const type of [T.Deployment, T.StatefulSet]) {
        for (const r of m.ofType(type)) {
            const spec = unwrap(r.inputs).spec;
            for (const claim of spec.volumeClaimTemplates ?? []) storageClasses.add(claim.spec?.storageClassName ?? "");
            const pod = podSpecOf(type, spec);
            const replicas = spec.replicas ?? minReplicas.get(unwrap(r.inputs).metadata.name) ?? 1;
            for (const c of pod.containers) {
                requests.cpu += replicas * parseQuantity(c.resources?.requests?.cpu ?? "0");
                requests.memory += replicas * parseQuantity(c.resources?.requests?.memory ?? "0");
            }
        }
    }
    // A CloudNativePG Cluster: one volume and one pod of its resources per instance, from its operator.
    for (const r of m.ofType(CNPG_CLUSTER)) {
        const spec = unwrap(r.inputs).spec;
        storageClasses.add(spec.storage?.storageClass ?? "");
        requests.cpu += spec.instances * parseQuantity(spec.resources?.requests?.cpu ?? "0");
        requests.memory += spec.instances * parseQuantity(spec.resources?.requests?.memory ?? "0");
    }
    const cnpgOperatorNamespace = m.plan.postgresCluster?.operatorNamespace;
    return { crds, storageClasses, autoscalers: m.ofType(T.HPA).length > 0, requests, cnpgOperatorNamespace };
}

/** How the checks reach the cluster and the backend (kubectl and pulumi; a fake in unit tests). */
export interface ClusterReader {
    /** `kubectl get --raw <path>` or `kubectl get <args> -o json`, parsed; undefined when not found. */
    get(args: string[]): unknown;
    /** The server's version, or throws with why it cannot be reached. */
    version(): string;
    /** `pulumi stack output --json` of another stack, or throws. */
    stackOutputs(stack: string): Record<string, unknown>;
}

export function kubectlReader(context: string): ClusterReader {
    const ctx = context ? ["--context", context] : [];
    const kubectl = (args: string[]) => execFileSync("kubectl", [...ctx, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    return {
        get(args) {
            try {
                return JSON.parse(kubectl(["get", ...args, "-o", "json"]));
            } catch (e) {
                const err = String((e as { stderr?: string }).stderr ?? e);
                if (/NotFound|not found/.test(err)) return undefined;
                throw new Error(err.trim().split("\n")[0]);
            }
        },
        version() {
            try {
                return JSON.parse(kubectl(["version", "-o", "json", "--request-timeout=10s"])).serverVersion.gitVersion;
            } catch (e) {
                throw new Error(String((e as { stderr?: string }).stderr ?? e).trim().split("\n").pop() ?? "unreachable");
            }
        },
        stackOutputs(stack) {
            return JSON.parse(execFileSync("pulumi", ["stack", "output", "--json", "--stack", stack], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
        },
    };
}

interface Crd {
    spec: { versions: Array<{ name: string; served: boolean }> };
}
interface StorageClass {
    metadata: { name: string; annotations?: Record<string, string> };
}
interface Node {
    spec?: { unschedulable?: boolean };
    status: { allocatable?: Record<string, string>; conditions?: Array<{ type: string; status: string }> };
}

const cores = (n: number) => `${Math.round(n * 100) / 100} CPU`;
const gib = (n: number) => `${Math.round((n / 2 ** 30) * 10) / 10}Gi`;

/** Every check, in order; after an unreachable cluster the cluster checks are not run. */
export function preflightChecks(cfg: PlatformConfig, demands: Demands, cluster: ClusterReader): CheckLine[] {
    const lines: CheckLine[] = [];
    const context = cfg.kubernetes.context || "the current context";
    try {
        lines.push({ ok: true, name: "cluster", detail: `${context} answers: Kubernetes ${cluster.version()}` });
    } catch (e) {
        lines.push({ ok: false, name: "cluster", detail: `${context} cannot be reached: ${(e as Error).message}` });
        return lines;
    }

    for (const [name, version] of demands.crds) {
        const crd = cluster.get(["crd", name]) as Crd | undefined;
        const served = crd?.spec.versions.filter((v) => v.served).map((v) => v.name) ?? [];
        if (!crd) lines.push({ ok: false, name: "crd", detail: `${name} is missing: ${crdAdvice(name)}` });
        else if (!served.includes(version)) lines.push({ ok: false, name: "crd", detail: `${name} serves ${served.join(", ") || "no version"}, not ${version}: upgrade it (${crdAdvice(name)})` });
        else lines.push({ ok: true, name: "crd", detail: `${name} serves ${version}` });
    }

    if (demands.cnpgOperatorNamespace !== undefined) {
        // CRDs without the operator: the Cluster is accepted and never reconciled, and the0's api waits for its database.
        const ns = demands.cnpgOperatorNamespace;
        const deployments = (cluster.get(["deployments", "-n", ns, "-l", CNPG_OPERATOR_SELECTOR]) as { items: Array<{ metadata: { name: string }; status?: { availableReplicas?: number } }> } | undefined)?.items ?? [];
        const running = deployments.filter((d) => (d.status?.availableReplicas ?? 0) > 0);
        lines.push(running.length > 0
            ? { ok: true, name: "cloudnative-pg", detail: `the operator runs in ${ns} (${running.map((d) => d.metadata.name).join(", ")})` }
            : { ok: false, name: "cloudnative-pg", detail: `no CloudNativePG operator is available in namespace ${ns} (a Deployment labelled ${CNPG_OPERATOR_SELECTOR}): the Cluster would never be reconciled and the0's api would wait for its database; deploy the cluster-addons stack with cloudnativePg.enabled, or set postgres.cloudnativePg.operatorNamespace` });
    }

    if (demands.storageClasses.size > 0) {
        const classes = ((cluster.get(["storageclass"]) as { items: StorageClass[] } | undefined)?.items ?? []);
        const defaults = classes.filter((c) => c.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true").map((c) => c.metadata.name);
        for (const name of demands.storageClasses) {
            if (name === "") {
                lines.push(defaults.length > 0
                    ? { ok: true, name: "storage class", detail: `the cluster's default is ${defaults.join(", ")}` }
                    : { ok: false, name: "storage class", detail: "the volumes take the cluster's default StorageClass and the cluster has none: mark one default, or set storageClass" });
            } else {
                lines.push(classes.some((c) => c.metadata.name === name)
                    ? { ok: true, name: "storage class", detail: `${name} exists` }
                    : { ok: false, name: "storage class", detail: `${name} does not exist (has: ${classes.map((c) => c.metadata.name).join(", ") || "none"})` });
            }
        }
    }

    if (demands.autoscalers) {
        const api = cluster.get(["apiservice", "v1beta1.metrics.k8s.io"]) as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined;
        const available = api?.status?.conditions?.some((c) => c.type === "Available" && c.status === "True") ?? false;
        lines.push(available
            ? { ok: true, name: "metrics-server", detail: "the metrics API is available for the autoscalers" }
            : { ok: false, name: "metrics-server", detail: "the stack has HorizontalPodAutoscalers and the metrics API (metrics-server) is not available: they would never scale; install metrics-server or turn autoscaling off" });
    }

    const nodes = ((cluster.get(["nodes"]) as { items: Node[] } | undefined)?.items ?? [])
        .filter((n) => !n.spec?.unschedulable && n.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    const allocatable = { cpu: 0, memory: 0 };
    for (const n of nodes) {
        allocatable.cpu += parseQuantity(n.status.allocatable?.cpu ?? "0");
        allocatable.memory += parseQuantity(n.status.allocatable?.memory ?? "0");
    }
    const fits = demands.requests.cpu <= allocatable.cpu && demands.requests.memory <= allocatable.memory;
    lines.push({
        ok: fits,
        name: "capacity",
        detail: `the stack requests ${cores(demands.requests.cpu)} and ${gib(demands.requests.memory)}; ${nodes.length} ready node(s) offer ${cores(allocatable.cpu)} and ${gib(allocatable.memory)} allocatable${fits ? "" : ": add nodes or lower the requests"}`,
    });

    if (cfg.addonsStack !== "") {
        try {
            const outputs = cluster.stackOutputs(cfg.addonsStack);
            lines.push({ ok: true, name: "add-ons stack", detail: `${cfg.addonsStack} exports ${Object.keys(outputs).sort().join(", ") || "nothing yet"}` });
        } catch (e) {
            lines.push({ ok: false, name: "add-ons stack", detail: `${cfg.addonsStack} cannot be read (${String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split("\n")[0]}): deploy the cluster-addons stack first, or fix addonsStack` });
        }
    }
    return lines;
}

function crdAdvice(name: string): string {
    if (name.endsWith(".gateway.networking.k8s.io")) return "Gateway API's CRDs come with Envoy Gateway (cluster-addons: envoyGateway.enabled) or your Gateway implementation";
    if (name.endsWith(".cert-manager.io")) return "cert-manager's CRDs come with the cluster-addons project (certManager.enabled)";
    if (name.endsWith(".postgresql.cnpg.io")) return "CloudNativePG's CRDs come with the cluster-addons project (cloudnativePg.enabled), or set postgres.mode to inCluster";
    if (name.endsWith(".monitoring.coreos.com")) return "the Prometheus Operator's CRDs come with kube-prometheus-stack (cluster-addons: monitoring.enabled), or turn monitoring off";
    return "install the operator that owns it";
}

/** The stack's config from the backend (`pulumi config --json`), rendered under mocks. */
export async function renderStack(stack: string): Promise<Model> {
    const entries = JSON.parse(execFileSync("pulumi", ["config", "--json", "--stack", stack], { encoding: "utf8" }));
    const raw = rawStackConfig(stack, entries);
    // Secret values stay in the backend: placeholders long enough for every rule stand in for the set ones.
    const secrets = Object.fromEntries(raw.secretsProvided.map((k) => [k, "preflight-placeholder-value-0123456789-abcdef"]));
    return build(raw.values, { stack, secrets });
}

export async function main(argv: string[]): Promise<void> {
    const o = parseArgs(argv);
    const m = await renderStack(o.stack);
    const lines = preflightChecks(m.config, demandsOf(m), kubectlReader(m.config.kubernetes.context));
    console.log(`preflight: stack ${o.stack}, ${m.config.kubernetes.context ? `context ${m.config.kubernetes.context}` : "the current context"}`);
    for (const l of lines) console.log(formatLine(l));
    const failed = lines.filter((l) => !l.ok).length;
    console.log(failed === 0 ? `preflight: all ${lines.length} checks passed` : `preflight: ${failed} of ${lines.length} checks failed`);
    process.exitCode = failed === 0 ? 0 : 1;
}
