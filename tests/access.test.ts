// The preview reader: read-only, over exactly the kinds each stack manages and the kinds the
// pre-deploy check lists in its namespace (no more, no fewer).
import { expect } from "chai";
import { CreatedKinds, kindOfType } from "../components/k8s/createdKinds";
import { NAMESPACE_CHECK_KINDS } from "../components/k8s/namespaceCheck";
import { build, buildStack, cloudValues, Model, T, unwrap } from "../tools/render/render";

const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";

/** "group/resource" of every namespaced object a rendering registers in a namespace. */
function managedIn(m: Model, namespace: string): string[] {
    const kinds = new Set<string>();
    for (const r of m.resources) {
        const match = /^kubernetes:(?:(.+)\/)?v\d\w*:(\w+)$/.exec(r.type);
        const md = unwrap(r.inputs).metadata;
        if (!match || md?.namespace !== namespace) continue;
        const group = match[1] === "core" ? "" : match[1];
        const kind = match[2].toLowerCase();
        kinds.add(`${group}/${kind.endsWith("s") ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`}`);
    }
    return [...kinds].sort();
}

function readable(m: Model, type: string, name: string, namespace?: string): string[] {
    const role = m.ofType(type).find((r) => unwrap(r.inputs).metadata.name === name && unwrap(r.inputs).metadata.namespace === namespace);
    if (!role) return [];
    return unwrap(role.inputs).rules.flatMap((rule: { apiGroups: string[]; resources: string[] }) => rule.resources.map((res) => `${rule.apiGroups[0]}/${res}`)).sort();
}

describe("preview reader", () => {
    const cases: Array<[string, () => Promise<Model>]> = [
        ["dev", () => buildStack("dev")],
        ["staging", () => buildStack("staging")],
        ["production", () => buildStack("production")],
        ["everything off", () => build(cloudValues({ networkPolicies: "false", ha: JSON.stringify({ disruptionBudgets: false }), ingress: JSON.stringify({ enabled: false }), nodePorts: JSON.stringify({ enabled: true }), backups: JSON.stringify({ enabled: false }) }))],
        // Its own Secret only for the backup target's keys, its only CronJobs the backups'.
        ["existing app Secret, no gc, backups with keys", () => build(
            cloudValues({ existingSecret: "my-the0-secrets", apps: JSON.stringify({ gc: { enabled: false } }), backups: JSON.stringify({ target: { endpoint: "https://s3.example.com", bucket: "the0-backups-x" } }) }),
            { secrets: { backupAccessKey: "backup-access-key", backupSecretKey: "backup-secret-key" } },
        )],
    ];

    for (const [title, render] of cases) {
        it(`${title}: reads exactly the kinds the stack manages in its namespace and the checked ones, and keeps nothing in cert-manager's`, async () => {
            const m = await render();
            // The listed kinds, and the CloudNativePG Cluster the mode-switch check gets by name (components/live/postgresMode.ts).
            const checked = [...NAMESPACE_CHECK_KINDS.map((k) => `${k.apiGroup}/${k.resource}`), "postgresql.cnpg.io/clusters"];
            expect(readable(m, T.Role, "the0-preview", "the0")).to.deep.equal([...new Set([...managedIn(m, "the0"), ...checked])].sort());
            expect(managedIn(m, "cert-manager")).to.deep.equal([]);
            expect(readable(m, T.Role, "the0-the0-preview", "cert-manager")).to.deep.equal([]);
        });
    }

    it("can only read, and only its own namespace among cluster-scoped objects", async () => {
        const m = await buildStack("staging");
        const roles = [...m.ofType(T.Role), ...m.ofType(CLUSTER_ROLE)].filter((r) => /preview/.test(unwrap(r.inputs).metadata.name));
        expect(roles.length).to.equal(2);
        for (const r of roles) for (const rule of unwrap(r.inputs).rules) expect(rule.verbs.every((v: string) => ["get", "list", "watch"].includes(v)), r.name).to.equal(true);
        const cluster = unwrap(m.object(CLUSTER_ROLE, "the0-the0-preview").inputs).rules;
        expect(cluster[0]).to.deep.equal({ apiGroups: [""], resources: ["namespaces"], resourceNames: ["the0"], verbs: ["get"] });
        expect(cluster.map((r: { resources: string[] }) => r.resources.join())).to.deep.equal(["namespaces", "clusterroles,clusterrolebindings"]);
        const binding = unwrap(m.object(CLUSTER_ROLE_BINDING, "the0-the0-preview").inputs);
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "the0-preview", namespace: "the0" }]);
        const sa = unwrap(m.object(T.ServiceAccount, "the0-preview").inputs);
        expect(sa.automountServiceAccountToken).to.equal(false);
    });
});

describe("kubernetes provider identity", () => {
    it("identifies the cluster by its context, so other credentials (a preview's, a rotated token) plan no replacement", async () => {
        const dev = await buildStack("dev");
        expect(unwrap(dev.ofType(T.Provider)[0].inputs).clusterIdentifier).to.equal("minikube");
        const staging = await buildStack("staging");
        expect(unwrap(staging.ofType(T.Provider)[0].inputs).clusterIdentifier).to.equal("the0-infra-staging");
    });
});

describe("created kinds (what the preview reader's rules come from)", () => {
    it("names each kind as RBAC does, a Helm release as its storage Secrets, and ignores what is not a Kubernetes object", () => {
        expect(kindOfType("kubernetes:apps/v1:StatefulSet")).to.deep.equal({ apiGroup: "apps", resource: "statefulsets" });
        expect(kindOfType("kubernetes:core/v1:Service")).to.deep.equal({ apiGroup: "", resource: "services" });
        expect(kindOfType("kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.deep.equal({ apiGroup: "networking.k8s.io", resource: "networkpolicies" });
        expect(kindOfType("kubernetes:networking.k8s.io/v1:Ingress")).to.deep.equal({ apiGroup: "networking.k8s.io", resource: "ingresses" });
        expect(kindOfType("kubernetes:monitoring.coreos.com/v1:PodMonitor")).to.deep.equal({ apiGroup: "monitoring.coreos.com", resource: "podmonitors" });
        expect(kindOfType("kubernetes:helm.sh/v3:Release")).to.deep.equal({ apiGroup: "", resource: "secrets" });
        expect(kindOfType("random:index/randomPassword:RandomPassword")).to.equal(undefined);
        expect(kindOfType("pulumi:providers:kubernetes")).to.equal(undefined);
    });

    it("keeps kinds per namespace and cluster-scoped objects by name, and refuses a cluster-scoped object it cannot name", () => {
        const created = new CreatedKinds();
        created.record("kubernetes:core/v1:Namespace", { metadata: { name: "the0" } });
        created.record("kubernetes:apps/v1:Deployment", { metadata: { name: "a", namespace: "the0" } });
        created.record("kubernetes:apps/v1:Deployment", { metadata: { name: "b", namespace: "the0" } });
        created.record("kubernetes:helm.sh/v3:Release", { name: "kps", namespace: "monitoring" });
        expect(created.namespaces()).to.deep.equal(["the0", "monitoring"]);
        expect(created.in("the0")).to.deep.equal([{ apiGroup: "apps", resource: "deployments" }]);
        expect(created.in("monitoring")).to.deep.equal([{ apiGroup: "", resource: "secrets" }]);
        expect(created.cluster()).to.deep.equal([{ kind: { apiGroup: "", resource: "namespaces" }, names: ["the0"] }]);
        expect(() => created.record("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", { metadata: {} })).to.throw("a cluster-scoped kubernetes:rbac.authorization.k8s.io/v1:ClusterRole needs a plain metadata.name");
    });
});
