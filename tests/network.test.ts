// NetworkPolicies generated from the catalog's declared dependencies, checked both ways.
import { expect } from "chai";
import { CATALOG, CatalogEntry } from "../components/model/catalog";
import { resolveConfig } from "../components/config/resolve";
import { Edge, networkGraph, Peer } from "../components/network/graph";
import { BACKUP_STORE_REGISTRY } from "../components/model/backupStores";
import { SMOKE_COMPONENT, SMOKE_DEPENDS_ON } from "../components/model/smokeCheck";
import { resolvePlan } from "../components/plan/plan";
import { build, cloudValues, Model, PROJECT, stackValues, T, unwrap } from "../tools/render/render";

const NetworkPolicy = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const DATA_PODS: Record<string, string> = { postgres: "postgres", mongo: "mongo", redis: "redis", objectStorage: "minio", nats: "nats" };

const podOf = (p: Peer): string | undefined => ("pod" in p ? p.pod : undefined);
function plan(stack: string) {
    return resolvePlan(resolveConfig({ project: PROJECT, stack, values: stackValues(stack), secretsProvided: [] }));
}

describe("network graph from the catalog", () => {
    for (const stack of ["dev", "staging"]) {
        const cfg = plan(stack).config;
        const edges = networkGraph(plan(stack));

        it(`${stack}: every declared dependency opens exactly its path`, () => {
            for (const entry of CATALOG.filter((e) => cfg.apps[e.key].enabled)) {
                for (const dep of entry.dependsOn) {
                    const target = "data" in dep ? DATA_PODS[dep.data] : CATALOG.find((e) => e.key === dep.app)!.component;
                    if ("data" in dep && dep.data === "redis" && !cfg.redis.enabled) continue;
                    const found = edges.filter((e) => podOf(e.from) === entry.component && podOf(e.to) === target);
                    expect(found, `${entry.key} -> ${target}`).to.have.length(1);
                }
            }
        });

        it(`${stack}: every pod-to-pod path is a declared dependency (or a peer link)`, () => {
            for (const e of edges) {
                const from = podOf(e.from);
                const to = podOf(e.to);
                if (!from || !to) continue;
                if (from === to) {
                    expect(["nats", "minio"], e.reason).to.include(from);
                    continue;
                }
                const backup = Object.values(BACKUP_STORE_REGISTRY).find((b) => b.component === from);
                if (backup) {
                    // A backup job reaches its own store, and the in-cluster bucket when that is the target.
                    expect([DATA_PODS[backup.store], "minio"], `${from} -> ${to}`).to.include(to);
                    continue;
                }
                // The smoke check's dependencies are declared beside its Job builder (components/smoke).
                const dependsOn = from === SMOKE_COMPONENT ? SMOKE_DEPENDS_ON : CATALOG.find((c) => c.component === from)?.dependsOn;
                expect(dependsOn, `${from} is an app service or the smoke check`).to.not.equal(undefined);
                const declared = dependsOn!.some((d) => ("data" in d ? DATA_PODS[d.data] : CATALOG.find((c) => c.key === d.app)!.component) === to);
                expect(declared, `${from} -> ${to}`).to.equal(true);
            }
        });
    }

    it("lets bot pods reach object storage and the internet, but not the databases", () => {
        const edges = networkGraph(plan("dev"));
        const fromBots = edges.filter((e) => "bots" in e.from);
        expect(fromBots.map((e) => podOf(e.to)).filter(Boolean)).to.deep.equal(["minio"]);
        expect(fromBots.some((e) => "anywhere" in e.to && e.to.anywhere === "internet")).to.equal(true);
        const toBots = edges.filter((e) => "bots" in e.to);
        expect(toBots.map((e) => podOf(e.from))).to.deep.equal(["bot-controller"]);
    });

    it("lets only the bot-controller reach the Kubernetes API", () => {
        const edges = networkGraph(plan("dev")).filter((e) => "kubeApi" in e.to);
        expect(edges.map((e) => podOf(e.from))).to.deep.equal(["bot-controller"]);
        expect(edges[0].ports).to.deep.equal([443, 6443]);
    });

    it("links NATS peers on the route port and admits the ingress controller to the web services", () => {
        const edges = networkGraph(plan("staging"));
        expect(edges.find((e) => podOf(e.from) === "nats" && podOf(e.to) === "nats")!.ports).to.deep.equal([6222]);
        const fromIngress = edges.filter((e) => "ingressController" in e.from);
        expect(fromIngress.map((e) => ("acmeSolver" in e.to ? "acme-solver" : podOf(e.to))).sort()).to.deep.equal(["acme-solver", "api", "docs", "frontend"]);
    });

    it("opens a new path when, and only when, the catalog declares it", () => {
        const dev = plan("dev");
        const docsUsesPostgres: CatalogEntry[] = CATALOG.map((e) => (e.key === "docs" ? { ...e, dependsOn: [...e.dependsOn, { data: "postgres" as const }] } : e));
        const before = networkGraph(dev).filter((e) => podOf(e.from) === "docs" && podOf(e.to) === "postgres");
        const after = networkGraph(dev, docsUsesPostgres).filter((e) => podOf(e.from) === "docs" && podOf(e.to) === "postgres");
        expect(before).to.have.length(0);
        expect(after.map((e: Edge) => e.ports)).to.deep.equal([[5432]]);
    });
});

describe("NetworkPolicy objects", () => {
    let m: Model;
    before(async () => { m = await build(cloudValues()); });

    const policy = (mm: Model, name: string) => unwrap(mm.object(NetworkPolicy, name).inputs).spec;

    it("denies all ingress and egress by default", () => {
        expect(policy(m, "the0-default-deny")).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });

    it("renders each edge of the graph as one rule", () => {
        const edges = networkGraph(m.plan);
        const policies = m.ofType(NetworkPolicy).map((r) => unwrap(r.inputs).spec);
        const ingressRules = policies.reduce((n, p) => n + (p.ingress?.length ?? 0), 0);
        const egressRules = policies.reduce((n, p) => n + (p.egress?.length ?? 0), 0);
        const own = (p: Peer) => "pod" in p || "bots" in p || "acmeSolver" in p;
        expect(ingressRules).to.equal(edges.filter((e) => own(e.to)).length);
        expect(egressRules).to.equal(edges.filter((e) => own(e.from)).length);
    });

    it("admits only the api and its backup job to PostgreSQL, and the Prometheus to its exporter", () => {
        const pg = policy(m, "the0-postgres");
        expect(pg.podSelector.matchLabels["app.kubernetes.io/component"]).to.equal("postgres");
        const from = pg.ingress.map((r: any) => r.from[0].podSelector?.matchLabels["app.kubernetes.io/component"] ?? `namespace ${r.from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}`);
        expect(from).to.deep.equal(["api", "namespace monitoring", "backup-postgres"]);
        expect(pg.ingress.map((r: any) => r.ports)).to.deep.equal([[{ port: 5432, protocol: "TCP" }], [{ port: 9187, protocol: "TCP" }], [{ port: 5432, protocol: "TCP" }]]);
        expect(pg.ingress[0].ports).to.deep.equal([{ port: 5432, protocol: "TCP" }]);
        expect(pg.egress.map((r: any) => r.ports)).to.deep.equal([[{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }]]);
    });

    it("keeps bots off private ranges", () => {
        const bots = policy(m, "the0-bots");
        expect(bots.podSelector.matchExpressions[0]).to.deep.include({ key: "the0.app/managed-by", operator: "In" });
        const internet = bots.egress.find((r: any) => r.to[0].ipBlock);
        expect(internet.to[0].ipBlock).to.deep.equal({ cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] });
    });

    it("can be switched off", async () => {
        const off = await build({ networkPolicies: "false" });
        expect(off.ofType(NetworkPolicy)).to.have.length(0);
        expect(off.ofType(T.Deployment).length).to.be.greaterThan(0);
    });
});

describe("network graph: the smoke check", () => {
    it("reaches exactly what its checks use: the api, NATS, object storage and the bot-controller's query port, and DNS", () => {
        const edges = networkGraph(plan("dev")).filter((e) => "pod" in e.from && e.from.pod === SMOKE_COMPONENT);
        expect(edges.map((e) => `${"pod" in e.to ? e.to.pod : "dns" in e.to ? "dns" : "other"}:${e.ports.join(",")}`).sort())
            .to.deep.equal(["api:3000", "bot-controller:9477", "dns:53", "minio:9000", "nats:4222"]);
    });
});
