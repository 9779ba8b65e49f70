// A read-only identity for `pulumi preview --refresh` in pull requests: a ServiceAccount that can
// get, list and watch exactly the kinds this stack manages and the kinds the program's pre-deploy
// check lists in its namespace (k8s/namespaceCheck.ts), and nothing else. The kinds are what the
// stack registered (k8s/createdKinds.ts), so the PreviewReader is built last. Write credentials stay
// in the protected environments that run `up` and `destroy`. (Without `patch`, the Kubernetes
// provider falls back from a server-side dry-run to a client-side preview diff.)
// scripts/preview-kubeconfig.sh writes a kubeconfig for it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { foreignMeta, fullName, objectMeta } from "../k8s/meta";
import { CreatedKinds, Kind } from "../k8s/createdKinds";
import { NAMESPACE_CHECK_KINDS } from "../k8s/namespaceCheck";
import { DeploymentPlan } from "../plan/plan";

const READ = ["get", "list", "watch"];

/** What the reader creates itself, beside what it reads: its ServiceAccount, Roles and bindings. */
const OWN_NAMESPACED: Kind[] = [
    { apiGroup: "", resource: "serviceaccounts" },
    { apiGroup: "rbac.authorization.k8s.io", resource: "roles" },
    { apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings" },
];
const OWN_FOREIGN: Kind[] = OWN_NAMESPACED.slice(1);
/** The pre-deploy check reads a CloudNativePG Cluster by name in every mode (live/postgresMode.ts: a mode switch on existing data). */
const POSTGRES_MODE_CHECK: Kind[] = [{ apiGroup: "postgresql.cnpg.io", resource: "clusters" }];

/** Kinds once each, sorted by group and resource (a stable order for the Role). */
function distinct(kinds: Kind[]): Kind[] {
    const byKey = new Map(kinds.map((k) => [`${k.apiGroup}/${k.resource}`, k]));
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

function rules(kinds: Kind[]): k8s.types.input.rbac.v1.PolicyRule[] {
    return distinct(kinds).map((k) => ({ apiGroups: [k.apiGroup], resources: [k.resource], verbs: READ }));
}

export interface PreviewReaderArgs {
    plan: DeploymentPlan;
    /** Everything the stack registered before the reader. */
    created: CreatedKinds;
}

export class PreviewReader extends pulumi.ComponentResource {
    readonly serviceAccountName: string;

    constructor(name: string, args: PreviewReaderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:access:PreviewReader", name, {}, opts);
        const cfg = args.plan.config;
        const created = args.created;
        const child = { parent: this };
        const ns = cfg.kubernetes.namespace;
        this.serviceAccountName = fullName(cfg, "preview");
        const meta = objectMeta(cfg, "preview");
        const subject = { kind: "ServiceAccount", name: this.serviceAccountName, namespace: ns };

        new k8s.core.v1.ServiceAccount(this.serviceAccountName, { metadata: meta, automountServiceAccountToken: false }, child);
        const role = new k8s.rbac.v1.Role(this.serviceAccountName, { metadata: meta, rules: rules([...created.in(ns), ...OWN_NAMESPACED, ...NAMESPACE_CHECK_KINDS, ...POSTGRES_MODE_CHECK]) }, child);
        new k8s.rbac.v1.RoleBinding(this.serviceAccountName, {
            metadata: meta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [subject],
        }, child);

        // Cluster-scoped: exactly the objects of ours by name (its namespace), and its own reader objects.
        const clusterName = `${ns}-${this.serviceAccountName}`;
        const clusterRules: k8s.types.input.rbac.v1.PolicyRule[] = [
            ...created.cluster().map(({ kind, names }) => ({ apiGroups: [kind.apiGroup], resources: [kind.resource], resourceNames: names, verbs: ["get"] })),
            { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "clusterrolebindings"], resourceNames: [clusterName], verbs: ["get"] },
        ];
        const clusterMeta = foreignMeta(cfg, "preview", clusterName);
        const clusterRole = new k8s.rbac.v1.ClusterRole(clusterName, { metadata: clusterMeta, rules: clusterRules }, child);
        new k8s.rbac.v1.ClusterRoleBinding(clusterName, {
            metadata: clusterMeta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
            subjects: [subject],
        }, child);

        // Other namespaces where the stack keeps something (kube-prometheus-stack's release storage).
        for (const namespace of created.namespaces().filter((n) => n !== ns)) {
            // The monitoring namespace's objects keep the name they always had, whatever it is called.
            const suffix = namespace === cfg.monitoring.namespace ? "monitoring" : namespace;
            const fMeta = foreignMeta(cfg, "preview", clusterName, namespace);
            const fRole = new k8s.rbac.v1.Role(`${clusterName}-${suffix}`, { metadata: fMeta, rules: rules([...created.in(namespace), ...OWN_FOREIGN]) }, child);
            new k8s.rbac.v1.RoleBinding(`${clusterName}-${suffix}`, {
                metadata: fMeta,
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: fRole.metadata.name },
                subjects: [subject],
            }, child);
        }
        this.registerOutputs({ serviceAccountName: this.serviceAccountName });
    }
}
