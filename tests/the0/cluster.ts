// The local control plane (tools/offline-k8s, kwok nodes) as the0's bot-controller sees it: the
// rendered namespace, ServiceAccounts, Roles, RoleBindings and NetworkPolicies applied as the
// program renders them, a token the API server issues for a ServiceAccount, and the API server's
// address and CA for the pod's in-cluster config.
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { parse } from "yaml";
import { RenderedStack } from "../../tools/realPods/render";
import { unwrap } from "../../tools/render/render";
import { ApiServer } from "../../tools/realPods/the0";

export function kubectl(args: string[], input?: string): string {
    return execFileSync("kubectl", args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 64 * 2 ** 20 });
}

export function kubectlJson<T = any>(...args: string[]): T {
    return JSON.parse(kubectl([...args, "-o", "json"])) as T;
}

/** The kinds of the rendering the bot-controller's identity and its pods' admission depend on. */
export const IDENTITY_KINDS = ["Namespace", "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy"];

/** Rendered objects of the given kinds as Kubernetes manifests (apiVersion and kind from the resource type). */
export function manifests(r: RenderedStack, kinds: string[]): Array<Record<string, any>> {
    return r.model.resources.flatMap((res) => {
        const m = /^kubernetes:(.+)\/(v[^:]+):(\w+)$/.exec(res.type);
        if (!m || !kinds.includes(m[3])) return [];
        const group = m[1] === "core" ? "" : `${m[1]}/`;
        return [{ apiVersion: `${group}${m[2]}`, kind: m[3], ...unwrap(res.inputs) }];
    });
}

/** Applies rendered objects server-side, in the order of `kinds` (the namespace first). */
export function applyRendered(r: RenderedStack, kinds: string[] = IDENTITY_KINDS): void {
    for (const kind of kinds) {
        const items = manifests(r, [kind]);
        if (items.length > 0) kubectl(["apply", "--server-side", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
    }
}

export function deleteNamespace(namespace: string): void {
    kubectl(["delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=120s"]);
}

/** A token the API server issues for a ServiceAccount (what the kubelet projects into a pod). */
export function serviceAccountToken(namespace: string, serviceAccount: string): string {
    return kubectl(["create", "token", serviceAccount, "-n", namespace, "--duration", "1h"]).trim();
}

/** The API server of the current kubeconfig context: host, port and CA (what a pod gets as KUBERNETES_SERVICE_* and ca.crt). */
export function apiServer(): ApiServer {
    const config = parse(readFileSync(process.env.KUBECONFIG!, "utf8"));
    const context = config.contexts.find((c: any) => c.name === config["current-context"]).context;
    const cluster = config.clusters.find((c: any) => c.name === context.cluster).cluster;
    const url = new URL(cluster.server);
    const ca = cluster["certificate-authority-data"]
        ? Buffer.from(cluster["certificate-authority-data"], "base64").toString()
        : readFileSync(cluster["certificate-authority"], "utf8");
    return { host: url.hostname, port: Number(url.port || 443), ca };
}

/** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
export function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }, labels: Record<string, string>): boolean {
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpression = (selector.matchExpressions ?? []).every((e) => {
        const has = e.key in labels;
        switch (e.operator) {
            case "In": return has && (e.values ?? []).includes(labels[e.key]);
            case "NotIn": return !has || !(e.values ?? []).includes(labels[e.key]);
            case "Exists": return has;
            case "DoesNotExist": return !has;
            default: throw new Error(`unknown selector operator ${e.operator}`);
        }
    });
    return byLabel && byExpression;
}
