// What the live target namespace decides before anything is registered: objects that stop a run (a
// Helm release, a foreign object with a name the stack would create) and those that do not (the
// stack's own, unrelated ones); data stores whose image would cross a major version on their data;
// the messages; and the read-only cluster client against a local API server stand-in with mutual
// TLS, a bearer token and an exec plugin.
import { expect } from "chai";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { IncomingMessage, ServerResponse } from "http";
import { createServer, Server } from "https";
import { tmpdir } from "os";
import { join } from "path";
import { stringify } from "yaml";
import { checkTargetNamespace } from "../components/live/checks";
import { claimedNames, ForeignObjectsError, foreignObjects, LiveObject } from "../components/live/foreignObjects";
import { ClusterUnreadable, LiveCluster, liveCluster } from "../components/live/cluster";
import { imageMajor, MajorUpgradeError, majorChanges } from "../components/live/storeMajors";
import { resolveConfig } from "../components/config/resolve";
import { DeploymentPlan, resolvePlan } from "../components/plan/plan";
import { MissingCustomKindsError, missingCustomKinds } from "../components/live/customKindsServed";
import { demandsOf } from "../tools/commands/preflight";
import { build, buildStack, cloudValues, Model, PROJECT, committedStackSecrets, stackValues } from "../tools/render/render";
import { TestCa } from "./support/testCa";

const planOf = (stack: string, values: Record<string, string> = {}, secretsProvided: string[] = []): DeploymentPlan =>
    resolvePlan(resolveConfig({ project: PROJECT, stack, values: { ...stackValues(stack), ...values }, secretsProvided: [...Object.keys(committedStackSecrets(stack)), ...secretsProvided] }));

const object = (kind: string, name: string, meta: Partial<LiveObject> = {}): LiveObject => ({ kind, name, labels: {}, annotations: {}, managers: [], ...meta });
// What the0's chart 0.9.1 puts in a namespace, as Helm 3 labels and annotates it (release "the0").
const chart = (kind: string, name: string) =>
    object(kind, name, { labels: { "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/instance": "the0" }, annotations: { "meta.helm.sh/release-name": "the0", "meta.helm.sh/release-namespace": "the0" }, managers: ["helm"] });
const CHART_INSTALL = [
    object("Secret", "sh.helm.release.v1.the0.v1", { labels: { owner: "helm", name: "the0", status: "deployed" }, managers: ["helm"] }),
    chart("Deployment", "the0-api"), chart("Deployment", "the0-postgres"), chart("Service", "the0-postgres"), chart("Secret", "the0-secrets"), chart("PersistentVolumeClaim", "the0-postgres-pvc"),
];
/** Discovery answers of a cluster that serves every custom kind `plan` creates (what the e2e cluster has). */
const discovery = (plan: DeploymentPlan, path: string): unknown => {
    const kinds = plan.customKinds.filter((k) => path === `/apis/${k.group}/${k.version}`);
    return kinds.length > 0 ? { kind: "APIResourceList", resources: kinds.map((k) => ({ name: k.resource })) } : undefined;
};
const OURS = { labels: { "app.kubernetes.io/managed-by": "pulumi" }, managers: ["pulumi-the0-infra-dev"] };

describe("adoption: what in a live namespace stops a run", () => {
    const dev = planOf("dev");

    it("claims the names of its workloads, Services and Secret, and not a Secret the stack only reads", () => {
        const names = claimedNames(dev);
        for (const n of ["the0-api", "the0-api-external", "the0-bot-controller", "the0-postgres", "the0-postgres-headless", "the0-nats", "the0-minio", "the0-secrets"]) expect(names, n).to.include(n);
        expect(names).to.not.include("the0-redis");
        expect(claimedNames(planOf("dev", { existingSecret: "my-the0-keys" }))).to.not.include("my-the0-keys");
    });

    it("a free namespace, the stack's own objects and unrelated ones stop nothing", () => {
        expect(foreignObjects(dev, [])).to.deep.equal([]);
        expect(foreignObjects(dev, [
            object("Deployment", "the0-api", { managers: ["pulumi-the0-infra-dev", "kube-controller-manager"] }),
            object("Secret", "the0-secrets", OURS),
            // An older deploy of this program: the provider's random field manager, Pulumi's label.
            object("Service", "the0-postgres", { labels: { "app.kubernetes.io/managed-by": "pulumi" }, managers: ["pulumi-kubernetes-7f3a"] }),
            object("PersistentVolumeClaim", "data-the0-postgres-0", { managers: ["kube-controller-manager"] }),
            object("ConfigMap", "kube-root-ca.crt", { managers: ["kube-controller-manager"] }),
            object("Secret", "the0-frontend-tls", { managers: ["cert-manager-certificates-issuing"] }),
        ])).to.deep.equal([]);
    });

    it("the0's chart installed there: one line for the release, naming its objects", () => {
        expect(foreignObjects(dev, CHART_INSTALL)).to.deep.equal([
            'Helm release "the0": names this stack would overwrite: Deployment the0-api, the0-postgres; Service the0-postgres; Secret the0-secrets; and 1 other object (PersistentVolumeClaim the0-postgres-pvc)',
        ]);
        // Only the release record left (objects deleted by hand): still a release of this namespace.
        expect(foreignObjects(dev, CHART_INSTALL.slice(0, 1))).to.deep.equal(['Helm release "the0": its release record']);
    });

    it("every object this stack would overwrite by name is named, the rest counted; every release is named", () => {
        const many = Array.from({ length: 11 }, (_, i) => chart("ConfigMap", `cm-${i}`));
        const other = object("Service", "redis", { labels: { "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/instance": "cache" } });
        expect(foreignObjects(dev, [...many, chart("Secret", "the0-secrets"), other])).to.deep.equal([
            'Helm release "the0": names this stack would overwrite: Secret the0-secrets; and 11 other objects (ConfigMap cm-0, cm-1, cm-2, ...)',
            'Helm release "cache": 1 other object (Service redis)',
        ]);
    });

    it("an object applied by hand, or by another stack, with a name this stack would create", () => {
        expect(foreignObjects(dev, [
            object("Service", "the0-api", { managers: ["kubectl-client-side-apply"] }),
            object("Secret", "the0-secrets", { managers: ["pulumi-the0-infra-other"] }),
            object("StatefulSet", "the0-nats", {}),
        ])).to.deep.equal([
            "Service the0-api: this stack would create it, and did not (managed by kubectl-client-side-apply)",
            "Secret the0-secrets: this stack would create it, and did not (managed by pulumi-the0-infra-other)",
            "StatefulSet the0-nats: this stack would create it, and did not (managed by no field manager)",
        ]);
    });

    it("refuses with every line, where, and the way out; nothing is registered", async () => {
        const fake = (objects: Record<string, string[]>): LiveCluster => ({
            describe: 'context "minikube" (https://192.168.49.2:8443)',
            get: async (path) => (path === "/api/v1/namespaces/the0" ? { metadata: { name: "the0" } } : discovery(dev, path)),
            listMetadata: async (path) => {
                const kind = Object.keys(objects).find((k) => path.endsWith(`/${k}`));
                return kind ? objects[kind].map((name) => ({ ...chart("", name) })) : [];
            },
        });
        let error: unknown;
        try {
            await checkTargetNamespace(dev, () => fake({ deployments: ["the0-api"], services: ["the0-postgres"] }));
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ForeignObjectsError);
        expect((error as Error).message).to.equal([
            'Stack "dev" would take over objects it did not create in namespace "the0" (context "minikube" (https://192.168.49.2:8443)); nothing was changed:',
            '  - Helm release "the0": names this stack would overwrite: Deployment the0-api; Service the0-postgres',
            'A Helm install of the0 moves to this program with its data as the deployment doc\'s "Coming from the Helm chart" describes; to deploy beside it, choose another namespace (pulumi config set namespace <name>).',
        ].join("\n"));
    });

    it("a namespace that does not exist yet is a first deploy; a cluster it cannot read is left to the provider", async () => {
        let listed = 0;
        const missing: LiveCluster = { describe: "x", get: async (path) => discovery(dev, path), listMetadata: async () => { listed++; return []; } };
        await checkTargetNamespace(dev, () => missing);
        expect(listed).to.equal(0);
        await checkTargetNamespace(dev, () => { throw new ClusterUnreadable('the kubeconfig has no context "minikube"'); });
    });
});

describe("adoption: the read-only cluster client, from a kubeconfig", function () {
    this.timeout(30_000);
    let dir: string;
    let server: Server;
    let port: number;
    let ca: TestCa;
    const seen: Array<{ path: string; accept?: string; authorization?: string; clientCert: boolean }> = [];
    const saved = process.env.KUBECONFIG;

    // The API server stand-in: a namespace, a collection, a forbidden path and 404 for the rest.
    const answer = (req: IncomingMessage, res: ServerResponse) => {
        const socket = req.socket as import("tls").TLSSocket;
        seen.push({ path: req.url ?? "", accept: req.headers.accept, authorization: req.headers.authorization, clientCert: socket.getPeerCertificate().subject !== undefined && socket.authorized });
        const send = (status: number, body: unknown) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(body)); };
        if (req.url === "/api/v1/namespaces/the0") return send(200, { kind: "Namespace", metadata: { name: "the0" } });
        if (req.url === "/api/v1/namespaces/the0/services") {
            return send(200, { kind: "PartialObjectMetadataList", items: [{ kind: "PartialObjectMetadata", metadata: { name: "the0-postgres", labels: { "app.kubernetes.io/managed-by": "Helm" }, annotations: { "meta.helm.sh/release-name": "the0" }, managedFields: [{ manager: "helm" }] } }] });
        }
        if (req.url === "/api/v1/namespaces/the0/secrets") return send(403, { kind: "Status", message: 'secrets is forbidden: User "viewer" cannot list resource "secrets"' });
        return send(404, { kind: "Status", message: "not found" });
    };

    const kubeconfig = (users: Record<string, unknown>, current = "mtls") => {
        const file = join(dir, `kubeconfig-${Object.keys(users).join("-")}`);
        writeFileSync(file, stringify({
            apiVersion: "v1", kind: "Config", "current-context": current,
            clusters: [{ name: "local", cluster: { server: `https://127.0.0.1:${port}`, "certificate-authority-data": Buffer.from(ca.cert).toString("base64") } }],
            contexts: Object.keys(users).map((u) => ({ name: u, context: { cluster: "local", user: u } })),
            users: Object.entries(users).map(([name, user]) => ({ name, user })),
        }));
        process.env.KUBECONFIG = file;
    };

    before(async () => {
        dir = mkdtempSync(join(tmpdir(), "the0-adoption-"));
        ca = new TestCa(dir);
        const host = ca.issue("127.0.0.1", ["IP:127.0.0.1"]);
        server = createServer({ key: host.key, cert: host.cert, ca: ca.cert, requestCert: true, rejectUnauthorized: false }, answer);
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        port = (server.address() as { port: number }).port;
    });

    after(() => {
        server.close();
        if (saved === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = saved;
        rmSync(dir, { recursive: true, force: true });
    });

    it("client certificates, the current context: reads, lists metadata only, and says what it cannot read", async () => {
        const client = ca.issue("the0-admin");
        kubeconfig({ mtls: { "client-certificate-data": Buffer.from(client.cert).toString("base64"), "client-key-data": Buffer.from(client.key).toString("base64") } });
        const cluster = liveCluster("");
        expect(cluster.describe).to.equal(`context "mtls" (https://127.0.0.1:${port})`);
        expect(await cluster.get("/api/v1/namespaces/the0")).to.deep.equal({ kind: "Namespace", metadata: { name: "the0" } });
        expect(await cluster.get("/api/v1/namespaces/elsewhere")).to.equal(undefined);
        expect(await cluster.listMetadata("/api/v1/namespaces/the0/services")).to.deep.equal([
            { name: "the0-postgres", labels: { "app.kubernetes.io/managed-by": "Helm" }, annotations: { "meta.helm.sh/release-name": "the0" }, managers: ["helm"] },
        ]);
        const listed = seen.find((s) => s.path === "/api/v1/namespaces/the0/services");
        expect(listed?.accept).to.equal("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
        expect(listed?.clientCert).to.equal(true);
        let refused: unknown;
        try {
            await cluster.listMetadata("/api/v1/namespaces/the0/secrets");
        } catch (e) {
            refused = e;
        }
        expect(refused).to.be.instanceOf(ClusterUnreadable);
        expect((refused as Error).message).to.equal('GET /api/v1/namespaces/the0/secrets: 403 secrets is forbidden: User "viewer" cannot list resource "secrets"');
    });

    it("a bearer token, and an exec plugin's ExecCredential, for the stack's named context", async () => {
        const plugin = join(dir, "token-plugin");
        writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$THE0_TOKEN"'"}}'\n`);
        chmodSync(plugin, 0o755);
        kubeconfig({ static: { token: "static-token" }, exec: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: plugin, env: [{ name: "THE0_TOKEN", value: "from-the-plugin" }] } } }, "static");
        await liveCluster("").get("/api/v1/namespaces/the0");
        expect(seen[seen.length - 1].authorization).to.equal("Bearer static-token");
        await liveCluster("exec").get("/api/v1/namespaces/the0");
        expect(seen[seen.length - 1].authorization).to.equal("Bearer from-the-plugin");
    });

    it("inside a pod with no kubeconfig (the Pulumi Kubernetes Operator's workspace): the pod's service account token and CA", async () => {
        const sa = join(dir, "serviceaccount");
        mkdirSync(sa);
        writeFileSync(join(sa, "token"), "service-account-token\n");
        writeFileSync(join(sa, "ca.crt"), ca.cert);
        const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
        process.env.KUBECONFIG = join(dir, "absent");
        process.env.KUBERNETES_SERVICE_HOST = "127.0.0.1";
        process.env.KUBERNETES_SERVICE_PORT = String(port);
        try {
            const cluster = liveCluster("", sa);
            expect(cluster.describe).to.equal(`in-cluster (the pod's service account) (https://127.0.0.1:${port})`);
            expect(await cluster.get("/api/v1/namespaces/the0")).to.deep.equal({ kind: "Namespace", metadata: { name: "the0" } });
            expect(seen[seen.length - 1].authorization).to.equal("Bearer service-account-token");
            // A stack that names a context wants that cluster, not the pod's.
            expect(() => liveCluster("minikube", sa)).to.throw(ClusterUnreadable, "no kubeconfig");
        } finally {
            for (const [k, v] of [["KUBERNETES_SERVICE_HOST", saved.host], ["KUBERNETES_SERVICE_PORT", saved.port]] as const) {
                if (v === undefined) delete process.env[k];
                else process.env[k] = v;
            }
        }
    });

    it("a context the kubeconfig does not have, or no kubeconfig at all, is ClusterUnreadable with the reason", () => {
        kubeconfig({ mtls: {} });
        expect(() => liveCluster("minikube")).to.throw(ClusterUnreadable, 'the kubeconfig has no context "minikube"');
        process.env.KUBECONFIG = join(dir, "absent");
        expect(() => liveCluster("")).to.throw(ClusterUnreadable, "no kubeconfig (KUBECONFIG, ~/.kube/config)");
    });
});

describe("adoption: a cloud stack claims the same names", () => {
    it("distributed MinIO and clustered NATS: their Services and headless Services", () => {
        const names = claimedNames(planOf("staging", cloudValues()));
        for (const n of ["the0-api", "the0-frontend", "the0-minio", "the0-minio-headless", "the0-nats", "the0-nats-headless", "the0-secrets"]) expect(names, n).to.include(n);
    });
});

describe("live: a data store's image crossing a major version on its data", () => {
    const dev = planOf("dev");
    const statefulSet = (container: string, image: string) => ({ spec: { template: { spec: { containers: [{ name: container, image }, { name: "exporter", image: "quay.io/prometheuscommunity/postgres-exporter:v0.17.1" }] } } } });

    it("reads the major off the tag: PostgreSQL's first number, MongoDB's release series; none from a digest or latest", () => {
        expect(imageMajor("postgres", "postgres:15.13-alpine")).to.equal("15");
        expect(imageMajor("postgres", "postgres:16")).to.equal("16");
        expect(imageMajor("postgres", "registry.local:5000/db/postgres:17.2-bookworm@sha256:" + "a".repeat(64))).to.equal("17");
        expect(imageMajor("postgres", "postgres@sha256:" + "a".repeat(64))).to.equal(undefined);
        expect(imageMajor("mongo", "mongo:7.0.28-jammy")).to.equal("7.0");
        expect(imageMajor("mongo", "mongo:8.0")).to.equal("8.0");
        expect(imageMajor("mongo", "mongo:latest")).to.equal(undefined);
        expect(imageMajor("nats", "nats:2.14.10-alpine")).to.equal(undefined);
    });

    it("a patch or minor on the same major, a store not running yet, or one whose major is unknown: nothing to refuse", () => {
        expect(majorChanges(dev, { postgres: "postgres:15.2-alpine", mongo: "mongo:7.0.12" })).to.deep.equal([]);
        expect(majorChanges(dev, {})).to.deep.equal([]);
        expect(majorChanges(dev, { postgres: "postgres@sha256:" + "b".repeat(64) })).to.deep.equal([]);
    });

    it("a new major on either store: one line each, with both versions", () => {
        const upgraded = planOf("dev", { postgres: JSON.stringify({ image: "postgres:16.4-alpine" }), mongo: JSON.stringify({ image: "mongo:8.0.4-noble" }) });
        expect(majorChanges(upgraded, { postgres: "postgres:15.13-alpine", mongo: "mongo:7.0.28-jammy" }).map((c) => c.line)).to.deep.equal([
            'postgres.image = "postgres:16.4-alpine": PostgreSQL 16, but the0-postgres runs PostgreSQL 15 (postgres:15.13-alpine) on its data, which PostgreSQL 16 cannot start on',
            'mongo.image = "mongo:8.0.4-noble": MongoDB 8.0, but the0-mongo runs MongoDB 7.0 (mongo:7.0.28-jammy) on its data, which MongoDB 8.0 cannot start on',
        ]);
        // Back down a major is refused the same way: the data files are newer than the server.
        expect(majorChanges(dev, { postgres: "postgres:16.4-alpine" })).to.have.length(1);
    });

    it("an external database has no data here to protect", () => {
        const external = planOf("dev", { postgres: JSON.stringify({ mode: "external", image: "postgres:16.4-alpine", external: { host: "db.example.com" } }) }, ["postgresPassword"]);
        expect(majorChanges(external, { postgres: "postgres:15.13-alpine" })).to.deep.equal([]);
    });

    it("checkTargetNamespace reads the running StatefulSet's container of the store's name and refuses with the way to upgrade", async () => {
        const upgraded = planOf("dev", { postgres: JSON.stringify({ image: "postgres:16.4-alpine" }) });
        const paths: string[] = [];
        const cluster: LiveCluster = {
            describe: "x",
            get: async (path) => {
                paths.push(path);
                if (path === "/api/v1/namespaces/the0") return {};
                if (path === "/apis/apps/v1/namespaces/the0/statefulsets/the0-postgres") return statefulSet("postgres", "postgres:15.13-alpine");
                return discovery(upgraded, path);
            },
            listMetadata: async () => [],
        };
        let error: unknown;
        try {
            await checkTargetNamespace(upgraded, () => cluster);
        } catch (e) {
            error = e;
        }
        expect(paths).to.include("/apis/apps/v1/namespaces/the0/statefulsets/the0-mongo");
        expect(error).to.be.instanceOf(MajorUpgradeError);
        expect((error as Error).message).to.equal([
            'Stack "dev" would move a data store to another major version on its existing data; nothing was changed:',
            '  - postgres.image = "postgres:16.4-alpine": PostgreSQL 16, but the0-postgres runs PostgreSQL 15 (postgres:15.13-alpine) on its data, which PostgreSQL 16 cannot start on',
            "Upgrade it through a dump, which carries the data across the major:",
            "    npm run upgrade-store -- --stack dev --store postgres --to postgres:16.4-alpine",
            'or keep the running major: set the image back, or pin it in the stack (pulumi config set --path <store>.image <image>). The deployment doc\'s "Major upgrades of a data store" says what the command does.',
        ].join("\n"));
        // The same image as running: the run goes on.
        await checkTargetNamespace(planOf("dev", { postgres: JSON.stringify({ image: "postgres:15.13-alpine" }) }), () => cluster);
    });
});

describe("live: the custom kinds a stack creates are served by the cluster", () => {
    // Each case's rendering registers exactly the custom kinds its plan lists (the plan decides before anything is registered).
    const cases: Array<[string, () => Promise<Model>]> = [
        ["dev (self-signed CA, Ingress)", () => buildStack("dev")],
        ["staging (Gateway, Let's Encrypt, monitoring)", () => buildStack("staging")],
        ["production", () => buildStack("production")],
        ["an existing Gateway, no TLS", () => build(cloudValues({ ingress: JSON.stringify({ tlsIssuer: "none", gateway: { create: false, name: "shared", namespace: "edge", sectionName: "https" } }) }))],
        ["a ClusterIssuer, monitoring without exporters", () => build(cloudValues({ ingress: JSON.stringify({ tlsIssuer: "clusterIssuer", clusterIssuer: "corp-ca" }), monitoring: JSON.stringify({ exporters: { nats: false, objectStorage: false, postgres: false, mongo: false } }) }))],
        ["no ways in", () => build(cloudValues({ ingress: JSON.stringify({ enabled: false }), nodePorts: JSON.stringify({ enabled: true }), monitoring: JSON.stringify({ enabled: false }) }))],
    ];
    for (const [title, render] of cases) {
        it(`${title}: the plan lists what the rendering registers`, async () => {
            const m = await render();
            const planned = new Map(m.plan.customKinds.map((k) => [`${k.resource}.${k.group}`, k.version]));
            expect(planned).to.deep.equal(demandsOf(m).crds);
        });
    }

    it("a cluster without cert-manager: dev's Issuer and Certificate, and where their CRDs come from; checked before the namespace is read", async () => {
        const dev = planOf("dev");
        expect(dev.customKinds.map((k) => k.kind)).to.deep.equal(["Issuer", "Certificate"]);
        const asked: string[] = [];
        const bare: LiveCluster = { describe: 'context "minikube" (https://192.168.49.2:8443)', get: async (path) => { asked.push(path); return undefined; }, listMetadata: async () => [] };
        expect(await missingCustomKinds(dev, bare)).to.deep.equal([
            "Issuer, Certificate (cert-manager.io/v1): not served by the cluster; the CRDs come with cert-manager (the cluster-addons project: certManager.enabled)",
        ]);
        let error: unknown;
        try {
            await checkTargetNamespace(dev, () => bare);
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(MissingCustomKindsError);
        expect((error as Error).message).to.equal([
            'Stack "dev" creates kinds the cluster (context "minikube" (https://192.168.49.2:8443)) does not serve; nothing was changed:',
            "  - Issuer, Certificate (cert-manager.io/v1): not served by the cluster; the CRDs come with cert-manager (the cluster-addons project: certManager.enabled)",
            "Deploy the cluster's add-ons stack first (cd cluster-addons && pulumi up --stack <the cluster's add-ons stack>; `npm run deploy:dev` does it for Minikube), then run this again. `npm run preflight -- --stack <stack>` checks everything a first up needs.",
        ].join("\n"));
        expect(asked).to.not.include("/api/v1/namespaces/the0");
    });

    it("a group served without one of the kinds (an older CRD set) names only that kind", async () => {
        const staging = planOf("staging", cloudValues());
        const partial: LiveCluster = {
            describe: "x",
            get: async (path) => (path === "/apis/monitoring.coreos.com/v1" ? { resources: [{ name: "prometheusrules" }, { name: "prometheusrules/status" }] } : discovery(staging, path)),
            listMetadata: async () => [],
        };
        expect(await missingCustomKinds(staging, partial)).to.deep.equal([
            "PodMonitor (monitoring.coreos.com/v1): not served by the cluster; the CRDs come with the Prometheus Operator (kube-prometheus-stack from the cluster-addons project: monitoring.enabled), or turn monitoring off",
        ]);
    });
});
