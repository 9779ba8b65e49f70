// Monitoring: the PodMonitors select real pod ports by name, each metrics port is opened by exactly one
// NetworkPolicy edge from the Prometheus's namespace, the exporters are hardened sidecars, the alerts
// carry runbooks, and the dashboards are what Grafana's sidecar picks up.
import { expect } from "chai";
import { alertRules } from "../components/monitoring/alerts";
import { DASHBOARD_LABEL } from "../components/monitoring/monitoring";
import { networkGraph } from "../components/network/graph";
import { build, buildStack, cloudValues, Model, podSpecOf, T, unwrap } from "../tools/render/render";

const PodMonitor = "kubernetes:monitoring.coreos.com/v1:PodMonitor";
const PrometheusRule = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const NetworkPolicy = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

describe("monitoring", () => {
    let staging: Model;
    before(async () => { staging = await buildStack("staging"); });

    it("is on for cloud stacks (an existing Prometheus Operator) and off on dev", async () => {
        expect(staging.config.monitoring).to.deep.include({ enabled: true, stack: "existing" });
        expect(staging.ofType(T.Release).map((r) => unwrap(r.inputs).chart)).to.not.include("kube-prometheus-stack");
        const dev = await buildStack("dev");
        expect(dev.ofType(PodMonitor)).to.have.length(0);
        expect(dev.ofType(PrometheusRule)).to.have.length(0);
        expect(dev.platform.outputs.monitoring).to.equal("disabled");
    });

    it("has a PodMonitor per metrics source that selects the pods and a container port of that name", () => {
        const monitors = staging.ofType(PodMonitor).map((r) => unwrap(r.inputs));
        expect(monitors.map((m) => m.metadata.name).sort()).to.deep.equal(["the0-minio", "the0-nats", "the0-postgres"]);
        for (const m of monitors) {
            expect(m.metadata.labels.release, m.metadata.name).to.equal("kube-prometheus-stack");
            expect(m.spec.namespaceSelector).to.deep.equal({ matchNames: ["the0"] });
            const sts = staging.statefulSet(m.metadata.name);
            expect(sts.template.metadata.labels, m.metadata.name).to.include(m.spec.selector.matchLabels);
            const endpoint = m.spec.podMetricsEndpoints[0];
            const ports = sts.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name));
            expect(ports, m.metadata.name).to.include(endpoint.port);
        }
        expect(unwrap(staging.object(PodMonitor, "the0-minio").inputs).spec.podMetricsEndpoints[0]).to.include({ port: "api", path: "/minio/v2/metrics/cluster" });
    });

    it("opens each metrics port to the Prometheus's namespace by exactly one NetworkPolicy rule", () => {
        const edges = networkGraph(staging.plan).filter((e) => "monitoring" in e.from);
        expect(edges.map((e) => `${"pod" in e.to ? e.to.pod : ""}:${e.ports}`).sort()).to.deep.equal(["minio:9000", "nats:7777", "postgres:9187"]);
        for (const [pod, port] of [["nats", 7777], ["postgres", 9187], ["minio", 9000]] as const) {
            const spec = unwrap(staging.object(NetworkPolicy, `the0-${pod}`).inputs).spec;
            const fromMonitoring = spec.ingress.filter((r: any) => r.from[0].namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring");
            expect(fromMonitoring, pod).to.have.length(1);
            expect(fromMonitoring[0].ports, pod).to.deep.equal([{ port, protocol: "TCP" }]);
        }
    });

    it("runs each exporter as a hardened sidecar with pinned image and resources, talking to its server over 127.0.0.1", () => {
        const sidecar = (sts: string) => staging.statefulSet(sts).template.spec.containers.find((c: any) => c.name === "metrics");
        const nats = sidecar("the0-nats");
        expect(nats.image).to.equal("natsio/prometheus-nats-exporter:0.20.1");
        expect(nats.args).to.include("-jsz=all").and.include("http://127.0.0.1:8222");
        const pg = sidecar("the0-postgres");
        expect(pg.image).to.equal("quay.io/prometheuscommunity/postgres-exporter:v0.17.1");
        const env = Object.fromEntries(pg.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        expect(env).to.deep.equal({ DATA_SOURCE_URI: "127.0.0.1:5432/the0_oss?sslmode=disable", DATA_SOURCE_USER: "the0", DATA_SOURCE_PASS: { secretKeyRef: { name: "the0-secrets", key: "postgresql-password" } } });
        for (const c of [nats, pg]) {
            expect(c.securityContext).to.deep.include({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
            expect(c.resources).to.deep.equal({ requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } });
        }
        // MongoDB's exporter is off by default (not proven against a real mongod here).
        expect(sidecar("the0-mongo")).to.equal(undefined);
        // MinIO serves its own metrics, without a token (the NetworkPolicy limits who reaches the port).
        const minioEnv = Object.fromEntries(staging.statefulSet("the0-minio").template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        expect(minioEnv.MINIO_PROMETHEUS_AUTH_TYPE).to.equal("public");
    });

    it("ships the alerts in one PrometheusRule, each with a severity, a summary and a runbook", () => {
        const rule = unwrap(staging.object(PrometheusRule, "the0-alerts").inputs);
        expect(rule.metadata.labels.release).to.equal("kube-prometheus-stack");
        const rules = rule.spec.groups[0].rules;
        expect(rules.map((r: any) => r.alert)).to.deep.equal([
            "The0ApiUnavailable", "The0FrontendUnavailable", "The0BotControllerUnavailable", "The0DataServiceDegraded", "The0PodCrashLooping",
            "The0VolumeFilling", "The0VolumeAlmostFull", "The0JetStreamStorageNearLimit", "The0JetStreamMemoryNearLimit", "The0JetStreamNoMetaLeader",
            "The0ObjectStorageNodesOffline", "The0CertificateExpiringSoon", "The0BackupFailed", "The0BackupStale", "The0AutoscalerAtMaximum",
        ]);
        for (const r of rules) {
            expect(["critical", "warning"], r.alert).to.include(r.labels.severity);
            expect(r.annotations.summary, r.alert).to.be.a("string").and.not.equal("");
            expect(r.annotations.runbook.length, r.alert).to.be.greaterThan(60);
            expect(r.expr, r.alert).to.include('namespace="the0"');
        }
    });

    it("leaves out alerts for what the stack does not run", async () => {
        const m = await build(cloudValues({ nats: JSON.stringify({ replicas: 1 }), backups: JSON.stringify({ enabled: false }), ingress: JSON.stringify({ enabled: false }), nodePorts: JSON.stringify({ enabled: true }) }));
        const names = alertRules(m.plan).map((r) => r.alert);
        expect(names).to.not.include.members(["The0JetStreamNoMetaLeader", "The0BackupFailed", "The0BackupStale", "The0CertificateExpiringSoon"]);
        expect(names).to.include("The0JetStreamStorageNearLimit");
    });

    it("ships dashboards as ConfigMaps for Grafana's sidecar, valid JSON with a query per panel", () => {
        const boards = staging.ofType(T.ConfigMap).map((r) => unwrap(r.inputs)).filter((c) => c.metadata.labels.grafana_dashboard === DASHBOARD_LABEL.grafana_dashboard);
        expect(boards.map((b) => b.metadata.name).sort()).to.deep.equal(["the0-dashboard-minio", "the0-dashboard-nats", "the0-dashboard-overview", "the0-dashboard-postgres"]);
        for (const b of boards) {
            const [file, json] = Object.entries(b.data as Record<string, string>)[0];
            const d = JSON.parse(json);
            expect(file).to.equal(`${d.uid}.json`);
            expect(d.panels.length, d.title).to.be.greaterThan(3);
            for (const p of d.panels) expect(p.targets.length, `${d.title}: ${p.title}`).to.be.greaterThan(0);
        }
    });

    it("installs no monitoring stack of its own: kube-prometheus-stack is the cluster-addons project's, and Grafana is reached through it", async () => {
        const m = await build(cloudValues({}));
        expect(m.ofType(T.Release).map((r) => unwrap(r.inputs).chart)).to.not.include("kube-prometheus-stack");
        const summary = m.platform.outputs.monitoring;
        if (summary === "disabled") throw new Error("monitoring is on");
        expect(summary.stack).to.equal("the cluster's, in namespace monitoring (objects labelled release=kube-prometheus-stack)");
        expect(summary.grafana).to.match(/^kubectl -n monitoring port-forward svc\/kube-prometheus-stack-grafana 3000:80 /);
    });
});

describe("monitoring workload footprint", () => {
    it("adds a hardened sidecar per measured data service and nothing to the app pods", async () => {
        const m = await build(cloudValues());
        for (const d of m.ofType(T.Deployment)) expect(podSpecOf(T.Deployment, unwrap(d.inputs).spec).containers, d.name).to.have.length(1);
    });
});
