// A read-only identity for `pulumi preview --refresh` in pull requests: a ServiceAccount that can
// get, list and watch exactly the kinds this stack manages, and nothing else. Write credentials stay
// in the protected environments that run `up` and `destroy`. (Without `patch`, the Kubernetes
// provider falls back from a server-side dry-run to a client-side preview diff.)
// scripts/preview-kubeconfig.sh writes a kubeconfig for it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { foreignMeta, fullName, objectMeta } from "../k8s/meta";
import { catalogEntry } from "../model/catalog";
import { DeploymentPlan } from "../plan/plan";

const READ = ["get", "list", "watch"];

export interface ReadRule {
    apiGroup: string;
    resource: string;
}

/** The namespaced kinds this stack creates in its namespace. */
export function namespacedKinds(plan: DeploymentPlan): ReadRule[] {
    const cfg = plan.config;
    const apps = Object.values(cfg.apps).filter((a) => a.enabled);
    const kinds: Array<ReadRule | false> = [
        (cfg.existingSecret === "" || plan.backups?.ownTargetSecret !== undefined) && { apiGroup: "", resource: "secrets" },
        // NATS's config, and the Grafana dashboards.
        (plan.inClusterStores.includes("nats") || (cfg.monitoring.enabled && cfg.monitoring.dashboards)) && { apiGroup: "", resource: "configmaps" },
        { apiGroup: "", resource: "services" },
        // The bot-controller's own, and this reader's.
        { apiGroup: "", resource: "serviceaccounts" },
        { apiGroup: "apps", resource: "deployments" },
        plan.inClusterStores.length > 0 && { apiGroup: "apps", resource: "statefulsets" },
        (cfg.apps.gc.enabled || cfg.backups.enabled) && { apiGroup: "batch", resource: "cronjobs" },
        { apiGroup: "rbac.authorization.k8s.io", resource: "roles" },
        { apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings" },
        apps.some((a) => a.autoscaling.enabled) && { apiGroup: "autoscaling", resource: "horizontalpodautoscalers" },
        hasDisruptionBudgets(plan) && { apiGroup: "policy", resource: "poddisruptionbudgets" },
        cfg.networkPolicies && { apiGroup: "networking.k8s.io", resource: "networkpolicies" },
        cfg.ingress.enabled && cfg.ingress.mode === "ingress" && { apiGroup: "networking.k8s.io", resource: "ingresses" },
        ...gatewayKinds(cfg),
        ...issuerKinds(cfg),
        plan.measured.length > 0 && { apiGroup: "monitoring.coreos.com", resource: "podmonitors" },
        cfg.monitoring.enabled && { apiGroup: "monitoring.coreos.com", resource: "prometheusrules" },
    ];
    return kinds.filter((k): k is ReadRule => k !== false);
}

/** The same decisions as the app tier (with ha) and the StatefulSet builder (always, above one replica). */
function hasDisruptionBudgets(plan: DeploymentPlan): boolean {
    const apps = plan.replicatedApps.some((k) => catalogEntry(k).workload === "Deployment");
    const data = plan.natsClustered || plan.objectStorageDistributed;
    return (plan.config.ha.disruptionBudgets && apps) || data;
}

/** The Gateway API objects of mode gateway: our Gateway (when we create it) and the HTTPRoutes. */
function gatewayKinds(cfg: PlatformConfig): ReadRule[] {
    if (!cfg.ingress.enabled || cfg.ingress.mode !== "gateway") return [];
    return [
        ...(cfg.ingress.gateway.create ? [{ apiGroup: "gateway.networking.k8s.io", resource: "gateways" }] : []),
        { apiGroup: "gateway.networking.k8s.io", resource: "httproutes" },
    ];
}

/** The namespaced issuers this stack creates (issuers.ts), and the self-signed chain's CA Certificate. */
function issuerKinds(cfg: PlatformConfig): ReadRule[] {
    const ours = cfg.ingress.enabled && cfg.ingress.tlsIssuer !== "none" && cfg.ingress.tlsIssuer !== "clusterIssuer";
    if (!ours) return [];
    return [
        { apiGroup: "cert-manager.io", resource: "issuers" },
        ...(cfg.ingress.tlsIssuer === "selfSigned" ? [{ apiGroup: "cert-manager.io", resource: "certificates" }] : []),
    ];
}

/** What the stack keeps in the monitoring namespace: the kube-prometheus-stack Release's storage when it installs it. */
export function monitoringKinds(cfg: PlatformConfig): ReadRule[] {
    if (!cfg.monitoring.enabled || cfg.monitoring.stack !== "install") return [];
    return [
        { apiGroup: "", resource: "secrets" },
        { apiGroup: "rbac.authorization.k8s.io", resource: "roles" },
        { apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings" },
    ];
}

function rules(kinds: ReadRule[]): k8s.types.input.rbac.v1.PolicyRule[] {
    return kinds.map((k) => ({ apiGroups: [k.apiGroup], resources: [k.resource], verbs: READ }));
}

export class PreviewReader extends pulumi.ComponentResource {
    readonly serviceAccountName: string;

    constructor(name: string, args: { plan: DeploymentPlan }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:access:PreviewReader", name, {}, opts);
        const cfg = args.plan.config;
        const child = { parent: this };
        const ns = cfg.kubernetes.namespace;
        this.serviceAccountName = fullName(cfg, "preview");
        const meta = objectMeta(cfg, "preview");
        const subject = { kind: "ServiceAccount", name: this.serviceAccountName, namespace: ns };

        new k8s.core.v1.ServiceAccount(this.serviceAccountName, { metadata: meta, automountServiceAccountToken: false }, child);
        const role = new k8s.rbac.v1.Role(this.serviceAccountName, { metadata: meta, rules: rules(namespacedKinds(args.plan)) }, child);
        new k8s.rbac.v1.RoleBinding(this.serviceAccountName, {
            metadata: meta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [subject],
        }, child);

        // Cluster-scoped: its own namespace by name and its own reader objects.
        const clusterName = `${ns}-${this.serviceAccountName}`;
        const clusterRules: k8s.types.input.rbac.v1.PolicyRule[] = [
            { apiGroups: [""], resources: ["namespaces"], resourceNames: [ns], verbs: ["get"] },
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "clusterrolebindings"], resourceNames: [clusterName], verbs: ["get"] },
        ];
        const clusterMeta = foreignMeta(cfg, "preview", clusterName);
        const clusterRole = new k8s.rbac.v1.ClusterRole(clusterName, { metadata: clusterMeta, rules: clusterRules }, child);
        new k8s.rbac.v1.ClusterRoleBinding(clusterName, {
            metadata: clusterMeta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
            subjects: [subject],
        }, child);

        // The add-ons' namespaces where the stack keeps something.
        const foreign: Array<[string, string, ReadRule[]]> = [
            ["monitoring", cfg.monitoring.namespace, monitoringKinds(cfg)],
        ];
        for (const [suffix, namespace, kinds] of foreign) {
            if (kinds.length === 0) continue;
            const fMeta = foreignMeta(cfg, "preview", clusterName, namespace);
            const fRole = new k8s.rbac.v1.Role(`${clusterName}-${suffix}`, { metadata: fMeta, rules: rules(kinds) }, child);
            new k8s.rbac.v1.RoleBinding(`${clusterName}-${suffix}`, {
                metadata: fMeta,
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: fRole.metadata.name },
                subjects: [subject],
            }, child);
        }
        this.registerOutputs({ serviceAccountName: this.serviceAccountName });
    }
}
