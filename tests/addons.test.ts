// The cluster-addons project: what it installs once per cluster, in which order, and its config.
import { expect } from "chai";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { ClusterAddons, keepCustomResourceDefinitions } from "../cluster-addons/addons";
import { AddonsConfig, resolveAddonsConfig } from "../cluster-addons/config";
import { ConfigError } from "../components/config/validate";
import { readAddonsStack } from "../components/config/addons";
import { resolveConfig } from "../components/config/resolve";
import { capturedSoFar, mockDelays, mockStackOutputs, resetCapture, settle, T, unwrap } from "../tools/render/render";

async function render(values: Record<string, unknown>) {
    resetCapture();
    new ClusterAddons("addons", { config: resolveAddonsConfig("the0-cluster-addons", "test", values) });
    await settle();
    const captured = capturedSoFar();
    return { all: captured, ofType: (type: string) => captured.filter((r) => r.type === type) };
}

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        resolveAddonsConfig("the0-cluster-addons", "test", values);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).problems.map((p) => `${p.key} = ${JSON.stringify(p.value)}: ${p.allowed}`);
    }
    throw new Error("expected a ConfigError");
}

describe("cluster-addons project", () => {
    it("installs cert-manager by default, pinned, CRDs kept on uninstall, without Gateway API support (no CRDs for it)", async () => {
        const m = await render({ kubeContext: "minikube" });
        const releases = m.ofType(T.Release).map((r) => unwrap(r.inputs));
        expect(releases).to.have.length(1);
        expect(releases[0]).to.deep.include({ name: "cert-manager", chart: "cert-manager", version: "v1.21.1", namespace: "cert-manager", createNamespace: true });
        expect(releases[0].repositoryOpts.repo).to.equal("https://charts.jetstack.io");
        expect(releases[0].values.crds).to.deep.equal({ enabled: true, keep: true });
        expect(releases[0].values.config).to.deep.equal({ apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", gatewayAPI: { enabled: false } });
        expect(m.ofType(T.GatewayClass)).to.have.length(0);
        expect(unwrap(m.ofType(T.Provider)[0].inputs).context).to.equal("minikube");
    });

    it("with Envoy Gateway: its pinned OCI chart, GatewayClass eg, and cert-manager's Gateway API support after the CRDs", async () => {
        mockDelays[T.Release] = 30;
        try {
            const m = await render({ envoyGateway: { enabled: true } });
            const eg = m.ofType(T.Release).find((r) => unwrap(r.inputs).name === "eg")!;
            const cm = m.ofType(T.Release).find((r) => unwrap(r.inputs).name === "cert-manager")!;
            expect(unwrap(eg.inputs)).to.deep.include({ chart: "oci://docker.io/envoyproxy/gateway-helm", version: "v1.9.1", namespace: "envoy-gateway-system" });
            expect(unwrap(cm.inputs).values.config.gatewayAPI).to.deep.equal({ enabled: true });
            expect(cm.seen).to.be.greaterThan(eg.done);
            const gc = m.ofType(T.GatewayClass)[0];
            expect(unwrap(gc.inputs).metadata.name).to.equal("eg");
            expect(unwrap(gc.inputs).spec).to.deep.equal({ controllerName: "gateway.envoyproxy.io/gatewayclass-controller" });
            expect(gc.seen).to.be.greaterThan(eg.done);
        } finally {
            delete mockDelays[T.Release];
        }
    });

    it("with monitoring: a pinned kube-prometheus-stack whose namespace and selector label it exports for platform stacks", async () => {
        const m = await render({ monitoring: { enabled: true } });
        const release = unwrap(m.ofType(T.Release).find((r) => unwrap(r.inputs).chart === "kube-prometheus-stack")!.inputs);
        expect(release).to.deep.include({ name: "kube-prometheus-stack", version: "82.6.0", namespace: "monitoring", createNamespace: true });
        expect(release.repositoryOpts.repo).to.equal("https://prometheus-community.github.io/helm-charts");
        // Platform stacks keep their dashboards in their own namespaces.
        expect(release.values.grafana.sidecar.dashboards).to.deep.include({ enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
        const addons = new ClusterAddons("outputs", { config: resolveAddonsConfig("the0-cluster-addons", "test", { monitoring: { enabled: true, releaseName: "prom" } }) });
        expect(addons.outputs).to.deep.include({ monitoringNamespace: "monitoring", monitoringSelectorLabel: "release=prom" });
        expect(problemsOf({ monitoring: { chartVersion: "latest", namespace: "Mon", releaseName: "a".repeat(54) } })).to.deep.equal([
            "the0-cluster-addons:monitoring.chartVersion = \"latest\": must be a kube-prometheus-stack chart version such as 82.6.0",
            "the0-cluster-addons:monitoring.namespace = \"Mon\": must be a namespace name (DNS-1123 label)",
            `the0-cluster-addons:monitoring.releaseName = "${"a".repeat(54)}": must be a Helm release name (a DNS-1123 label of at most 53 characters)`,
        ]);
    });

    it("with CloudNativePG: its release manifest for the pinned operator, applied as one ConfigFile, and the operator's namespace exported", async () => {
        expect((await render({})).ofType("kubernetes:yaml/v2:ConfigFile")).to.have.length(0);
        const m = await render({ cloudnativePg: { enabled: true } });
        const files = m.ofType("kubernetes:yaml/v2:ConfigFile").map((r) => unwrap(r.inputs));
        expect(files).to.deep.equal([{ file: "https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-1.30/releases/cnpg-1.30.1.yaml" }]);
        // Its CRDs outlive the add-ons stack (every platform stack's Cluster, and so its volumes, depends on them); nothing else does.
        const crd = keepCustomResourceDefinitions({ type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", name: "clusters.postgresql.cnpg.io", props: { a: 1 }, opts: { protect: false }, custom: true });
        expect(crd).to.deep.equal({ props: { a: 1 }, opts: { protect: false, retainOnDelete: true } });
        expect(keepCustomResourceDefinitions({ type: "kubernetes:apps/v1:Deployment", name: "cnpg-controller-manager", props: {}, opts: {}, custom: true })).to.equal(undefined);
        const addons = new ClusterAddons("cnpg-outputs", { config: resolveAddonsConfig("the0-cluster-addons", "test", { cloudnativePg: { enabled: true } }) });
        expect(addons.outputs.cnpgOperatorNamespace).to.equal("cnpg-system");
        await settle();
        expect(problemsOf({ cloudnativePg: { enabled: true, version: "1.30" } })).to.deep.equal([
            "the0-cluster-addons:cloudnativePg.version = \"1.30\": must be a CloudNativePG release such as 1.30.1",
        ]);
        expect(problemsOf({ cloudnativePg: { enabled: true, version: "1.31.0" } })).to.deep.equal([
            "the0-cluster-addons:cloudnativePg.version = \"1.31.0\": must be 1.30.x or older: platform stacks back PostgreSQL up with CloudNativePG's in-tree Barman Cloud support, which 1.31 removes (the move to its Barman Cloud plugin comes first)",
        ]);
    });

    it("reads types as a platform stack does: a wrong type or a non-object add-on is named with what is allowed", () => {
        expect(problemsOf({ certManager: { enabled: "yes" }, monitoring: "on" })).to.deep.equal([
            "the0-cluster-addons:certManager.enabled = \"yes\": must be true or false",
            "the0-cluster-addons:monitoring = \"on\": must be an object with keys enabled, chartVersion, namespace, releaseName",
        ]);
    });

    it("creates nothing a platform stack creates (no Issuer, Gateway, route or the0 object)", async () => {
        const m = await render({ envoyGateway: { enabled: true } });
        const types = new Set(m.all.map((r) => r.type));
        for (const type of [T.Issuer, T.ClusterIssuer, T.Gateway, T.HTTPRoute, T.Ingress, T.Namespace]) expect(types.has(type), type).to.equal(false);
    });

    it("reports every config problem at once (read by the platform's own parser: \"\" means unset, as in a platform stack)", () => {
        expect(problemsOf({
            certManager: { chartVersion: "latest", namespace: "Cert Manager", gatewayApi: false, extra: 1 },
            envoyGateway: { enabled: true, className: "Bad Class" },
            ingressNginx: true,
        })).to.deep.equal([
            "the0-cluster-addons:ingressNginx = \"[not shown]\": unknown config key; allowed: kubeContext, certManager, envoyGateway, monitoring, cloudnativePg",
            "the0-cluster-addons:certManager.extra = 1: unknown key; allowed: enabled, chartVersion, namespace, gatewayApi",
            "the0-cluster-addons:certManager.chartVersion = \"latest\": must be a chart version such as v1.21.1",
            "the0-cluster-addons:certManager.namespace = \"Cert Manager\": must be a namespace name (DNS-1123 label)",
            "the0-cluster-addons:envoyGateway.className = \"Bad Class\": must be a GatewayClass name (DNS subdomain)",
            "the0-cluster-addons:certManager.gatewayApi = false: must be true with envoyGateway on: platform stacks in mode gateway get their certificates through cert-manager's Gateway API support",
        ]);
    });

    it("takes the committed stack files as they are: dev for Minikube, cloud with Envoy Gateway", () => {
        const stackFile = (stack: string): AddonsConfig => {
            const doc = parse(readFileSync(join(__dirname, "..", "cluster-addons", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
            const values = Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(/^the0-cluster-addons:/, ""), v]));
            return resolveAddonsConfig("the0-cluster-addons", stack, values);
        };
        const dev = stackFile("dev");
        expect(dev.kubeContext).to.equal("minikube");
        expect(dev.envoyGateway.enabled).to.equal(false);
        expect(dev.certManager).to.deep.include({ enabled: true, gatewayApi: false });
        const cloud = stackFile("cloud");
        expect(cloud.envoyGateway).to.deep.include({ enabled: true, className: "eg", namespace: "envoy-gateway-system" });
        expect(cloud.certManager.gatewayApi).to.equal(true);
    });
});

describe("a platform stack reading its cluster's add-ons stack (addonsStack)", () => {
    const NAME = "organization/the0-cluster-addons/cloud-eu1";
    const base = { profile: "cloud", objectStorage: JSON.stringify({ mode: "distributed" }), domain: "the0.example.com", rootAdminEmail: "admin@the0.example.com", ingress: JSON.stringify({ acmeEmail: "ops@the0.example.com" }), backups: JSON.stringify({ target: { endpoint: "https://s3.example.com", bucket: "the0-b", existingSecret: "creds" } }) };

    it("reads the add-ons stack's outputs through a StackReference, and refuses one that is not a string", async () => {
        mockStackOutputs[NAME] = { gatewayClassName: "envoy-prod", gatewayNamespace: "edge", monitoringNamespace: "observability", monitoringSelectorLabel: "release=prom", certManagerNamespace: "cert-manager" };
        mockStackOutputs["org/p/odd"] = { gatewayClassName: 42 };
        try {
            resetCapture();
            expect(await readAddonsStack(NAME)).to.deep.equal({ gatewayClassName: "envoy-prod", gatewayNamespace: "edge", monitoringNamespace: "observability", monitoringSelectorLabel: "release=prom" });
            expect(capturedSoFar().filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => unwrap(r.inputs).name)).to.deep.equal([NAME]);
            let refused = "";
            await readAddonsStack("org/p/odd").catch((e: Error) => (refused = e.message));
            expect(refused).to.equal("the add-ons stack org/p/odd exports gatewayClassName as number, not a string: is it a cluster-addons stack?");
        } finally {
            delete mockStackOutputs[NAME];
            delete mockStackOutputs["org/p/odd"];
        }
    });

    it("takes them as defaults of the keys they stand for; a value the stack sets wins", () => {
        const addons = { gatewayClassName: "envoy-prod", gatewayNamespace: "edge", monitoringNamespace: "observability", monitoringSelectorLabel: "release=prom" };
        const cfg = resolveConfig({ project: "the0-infra", stack: "t", values: { ...base, addonsStack: NAME }, secretsProvided: [], addons });
        expect(cfg.addonsStack).to.equal(NAME);
        expect(cfg.ingress.gateway.className).to.equal("envoy-prod");
        expect(cfg.ingress.controllerNamespace).to.equal("edge");
        expect(cfg.monitoring).to.deep.include({ namespace: "observability", selectorLabel: "release=prom" });
        const own = resolveConfig({ project: "the0-infra", stack: "t", values: { ...base, monitoring: JSON.stringify({ namespace: "prometheus" }), ingress: JSON.stringify({ acmeEmail: "ops@the0.example.com", gateway: { className: "mine" } }) }, secretsProvided: [], addons });
        expect(own.monitoring.namespace).to.equal("prometheus");
        expect(own.ingress.gateway.className).to.equal("mine");
        // Without an add-ons stack, the profile's defaults (the cluster-addons project's own defaults).
        const none = resolveConfig({ project: "the0-infra", stack: "t", values: base, secretsProvided: [] });
        expect(none.ingress.gateway.className).to.equal("eg");
        expect(none.monitoring.namespace).to.equal("monitoring");
    });

    it("refuses a name that is not a stack's", () => {
        expect(() => resolveConfig({ project: "the0-infra", stack: "t", values: { ...base, addonsStack: "not a stack" }, secretsProvided: [] }))
            .to.throw('the0-infra:addonsStack = "not a stack": must name a stack: <stack>, <project>/<stack> or <organization>/<project>/<stack> (the cluster-addons stack of this cluster)');
    });
});
