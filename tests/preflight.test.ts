// npm run preflight: what a stack demands of its cluster (read from its rendering), and each check
// passing and failing against a cluster that answers as a fake (the e2e suite asks the real one).
import { expect } from "chai";
import { ClusterReader, Demands, demandsOf, parseArgs, preflightChecks, UsageError } from "../tools/commands/preflight";
import { build, buildStack, cloudValues } from "../tools/render/render";

const GiB = 2 ** 30;

/** A cluster with everything a stack could ask for; `over` replaces what a test breaks. */
function fakeCluster(over: Partial<Record<string, unknown>> & { version?: () => string; stackOutputs?: (s: string) => Record<string, unknown> } = {}): ClusterReader {
    const crd = (versions: string[]) => ({ spec: { versions: versions.map((name) => ({ name, served: true })) } });
    const objects: Record<string, unknown> = {
        "crd": undefined,
        storageclass: { items: [{ metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } }] },
        "apiservice v1beta1.metrics.k8s.io": { status: { conditions: [{ type: "Available", status: "True" }] } },
        nodes: { items: [0, 1, 2].map(() => ({ status: { allocatable: { cpu: "8", memory: "32Gi" }, conditions: [{ type: "Ready", status: "True" }] } })) },
        ...over,
    };
    return {
        get: (args) => {
            if (args[0] === "crd") return `crd ${args[1]}` in objects ? objects[`crd ${args[1]}`] : crd(["v1"]);
            return objects[args.join(" ")];
        },
        version: over.version ?? (() => "v1.34.1"),
        stackOutputs: over.stackOutputs ?? (() => ({ gatewayClassName: "eg" })),
    };
}

describe("preflight: what a stack demands of its cluster", () => {
    it("dev: cert-manager's kinds for its self-signed chain, its volumes on StorageClass standard, no autoscaler, its requests", async () => {
        const d = demandsOf(await buildStack("dev"));
        expect([...d.crds.entries()].sort()).to.deep.equal([["certificates.cert-manager.io", "v1"], ["issuers.cert-manager.io", "v1"]]);
        expect([...d.storageClasses]).to.deep.equal(["standard"]);
        expect(d.autoscalers).to.equal(false);
        expect(d.requests.cpu).to.be.greaterThan(0.5).and.lessThan(2);
        expect(d.requests.memory).to.be.greaterThan(1 * GiB).and.lessThan(4 * GiB);
    });

    it("staging: Gateway API, cert-manager and the Prometheus Operator's kinds, the default StorageClass, autoscalers at their minimum", async () => {
        const d = demandsOf(await buildStack("staging"));
        expect([...d.crds.keys()].sort()).to.deep.equal([
            "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io", "issuers.cert-manager.io",
            "podmonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com",
        ]);
        expect([...d.storageClasses]).to.deep.equal([""]);
        expect(d.autoscalers).to.equal(true);
    });
});

describe("preflight: postgres.mode cloudnative-pg", () => {
    it("demands CloudNativePG's CRDs, the Cluster's volumes and requests per instance, and its operator", async () => {
        const m = await build(cloudValues({ postgres: JSON.stringify({ mode: "cloudnative-pg" }) }));
        const d = demandsOf(m);
        const inCluster = demandsOf(await build(cloudValues()));
        expect(d.crds.get("clusters.postgresql.cnpg.io")).to.equal("v1");
        expect(d.crds.get("scheduledbackups.postgresql.cnpg.io")).to.equal("v1");
        expect(d.cnpgOperatorNamespace).to.equal("cnpg-system");
        expect(inCluster.cnpgOperatorNamespace).to.equal(undefined);
        // Three instances of 500m and 1Gi instead of one StatefulSet pod of the same size, whose exporter sidecar goes too.
        expect(d.requests.cpu - inCluster.requests.cpu).to.be.closeTo(2 * 0.5 - 0.01, 1e-9);
        const running = { items: [{ metadata: { name: "cnpg-controller-manager" }, status: { availableReplicas: 1 } }] };
        const lines = (answer: unknown) => preflightChecks(m.config, d, fakeCluster({ "deployments -n cnpg-system -l app.kubernetes.io/name=cloudnative-pg": answer })).filter((l) => l.name === "cloudnative-pg");
        expect(lines(running)).to.deep.equal([{ ok: true, name: "cloudnative-pg", detail: "the operator runs in cnpg-system (cnpg-controller-manager)" }]);
        expect(lines({ items: [{ metadata: { name: "cnpg-controller-manager" }, status: {} }] })[0].ok).to.equal(false);
        expect(lines(undefined)[0].detail).to.include("deploy the cluster-addons stack with cloudnativePg.enabled");
        const missingCrd = preflightChecks(m.config, d, fakeCluster({ "crd clusters.postgresql.cnpg.io": undefined, "deployments -n cnpg-system -l app.kubernetes.io/name=cloudnative-pg": running }));
        expect(missingCrd.filter((l) => !l.ok).map((l) => l.detail)).to.deep.equal(["clusters.postgresql.cnpg.io is missing: CloudNativePG's CRDs come with the cluster-addons project (cloudnativePg.enabled), or set postgres.mode to inCluster"]);
    });
});

describe("preflight: each check passes and fails", () => {
    let dev: Awaited<ReturnType<typeof buildStack>>;
    let demands: Demands;
    before(async () => {
        dev = await build(cloudValues({ addonsStack: "organization/the0-cluster-addons/cloud-eu1" }));
        demands = demandsOf(dev);
    });
    const failures = (cluster: ClusterReader) => preflightChecks(dev.config, demands, cluster).filter((l) => !l.ok).map((l) => `${l.name}: ${l.detail}`);

    it("passes on a cluster that has everything, one line per check", () => {
        const lines = preflightChecks(dev.config, demands, fakeCluster());
        expect(lines.every((l) => l.ok), JSON.stringify(lines)).to.equal(true);
        expect(lines.map((l) => l.name)).to.include.members(["cluster", "crd", "storage class", "metrics-server", "capacity", "add-ons stack"]);
    });

    it("an unreachable cluster: one failing line, and no other check asks it", () => {
        const lines = preflightChecks(dev.config, demands, fakeCluster({ version: () => { throw new Error("connection refused"); } }));
        expect(lines).to.deep.equal([{ ok: false, name: "cluster", detail: "the current context cannot be reached: connection refused" }]);
    });

    it("a missing CRD and one that does not serve the version the stack uses", () => {
        expect(failures(fakeCluster({ "crd podmonitors.monitoring.coreos.com": undefined, "crd gateways.gateway.networking.k8s.io": { spec: { versions: [{ name: "v1beta1", served: true }, { name: "v1", served: false }] } } })).sort()).to.deep.equal([
            "crd: gateways.gateway.networking.k8s.io serves v1beta1, not v1: upgrade it (Gateway API's CRDs come with Envoy Gateway (cluster-addons: envoyGateway.enabled) or your Gateway implementation)",
            "crd: podmonitors.monitoring.coreos.com is missing: the Prometheus Operator's CRDs come with kube-prometheus-stack (cluster-addons: monitoring.enabled), or turn monitoring off",
        ]);
    });

    it("no default StorageClass for volumes that take the default", () => {
        expect(failures(fakeCluster({ storageclass: { items: [{ metadata: { name: "fast" } }] } }))).to.deep.equal([
            "storage class: the volumes take the cluster's default StorageClass and the cluster has none: mark one default, or set storageClass",
        ]);
    });

    it("autoscalers without the metrics API", () => {
        expect(failures(fakeCluster({ "apiservice v1beta1.metrics.k8s.io": undefined }))).to.deep.equal([
            "metrics-server: the stack has HorizontalPodAutoscalers and the metrics API (metrics-server) is not available: they would never scale; install metrics-server or turn autoscaling off",
        ]);
    });

    it("not enough allocatable CPU and memory on the ready, schedulable nodes", () => {
        const small = { items: [{ status: { allocatable: { cpu: "2", memory: "4Gi" }, conditions: [{ type: "Ready", status: "True" }] } }, { spec: { unschedulable: true }, status: { allocatable: { cpu: "64", memory: "256Gi" }, conditions: [{ type: "Ready", status: "True" }] } }] };
        const [line] = failures(fakeCluster({ nodes: small }));
        expect(line).to.match(/^capacity: the stack requests [\d.]+ CPU and [\d.]+Gi; 1 ready node\(s\) offer 2 CPU and 4Gi allocatable: add nodes or lower the requests$/);
    });

    it("an add-ons stack that cannot be read", () => {
        expect(failures(fakeCluster({ stackOutputs: () => { throw new Error("no stack named 'cloud-eu1' found"); } }))).to.deep.equal([
            "add-ons stack: organization/the0-cluster-addons/cloud-eu1 cannot be read (no stack named 'cloud-eu1' found): deploy the cluster-addons stack first, or fix addonsStack",
        ]);
    });

    it("takes --stack and nothing else", () => {
        expect(parseArgs(["--stack", "staging"])).to.deep.equal({ stack: "staging" });
        expect(() => parseArgs([])).to.throw(UsageError, "usage: npm run preflight -- --stack <stack>");
        expect(() => parseArgs(["--stack", "s", "--yes"])).to.throw(UsageError, "unknown argument --yes");
    });
});
