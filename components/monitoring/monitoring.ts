// Monitoring for a Prometheus Operator: a PodMonitor per measured source (the plan's `measured`), one
// PrometheusRule with the alerts (alerts.ts), Grafana dashboards as ConfigMaps (dashboards.ts), all
// labelled with the selector the cluster's Prometheus picks them up by. The monitoring stack itself
// (CRDs, Prometheus, kube-state-metrics, Grafana) is cluster-wide: the cluster-addons project installs it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { fullName, objectMeta, selectorLabels } from "../k8s/meta";
import { alertRules, ruleGroups } from "./alerts";
import { dashboards, grafanaJson } from "./dashboards";
import { DeploymentPlan } from "../plan/plan";

/** The label Grafana's dashboard sidecar looks for (kube-prometheus-stack's default). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" };

/** `release=kube-prometheus-stack` -> `{release: "kube-prometheus-stack"}` (validated by rules/monitoring.ts). */
export function selectorLabel(cfg: PlatformConfig): Record<string, string> {
    const [key, value] = cfg.monitoring.selectorLabel.split("=");
    return { [key]: value };
}

export interface MonitoringSummary {
    stack: string;
    alerts: string[];
    dashboards: string[];
    /** How to reach Grafana. */
    grafana: string;
}

export class Monitoring extends pulumi.ComponentResource {
    readonly podMonitors: k8s.apiextensions.CustomResource[] = [];
    readonly rules: k8s.apiextensions.CustomResource;
    readonly dashboards: k8s.core.v1.ConfigMap[] = [];
    readonly summary: MonitoringSummary;

    constructor(name: string, args: { plan: DeploymentPlan }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:monitoring:Monitoring", name, {}, opts);
        const { plan } = args;
        const cfg = plan.config;
        const m = cfg.monitoring;
        // kube-prometheus-stack's Prometheus selects by `release=<its release name>`: the label's value names the release.
        const release = Object.values(selectorLabel(cfg))[0];

        const child = { parent: this };
        const labels = (component: string) => ({ ...objectMeta(cfg, component).labels, ...selectorLabel(cfg) });

        for (const source of plan.measured) {
            this.podMonitors.push(new k8s.apiextensions.CustomResource(`${name}-${source.key}`, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: { ...objectMeta(cfg, source.component, fullName(cfg, source.component)), labels: labels(source.component) },
                spec: {
                    selector: { matchLabels: selectorLabels(cfg, source.component) },
                    namespaceSelector: { matchNames: [cfg.kubernetes.namespace] },
                    podMetricsEndpoints: [{ port: source.port.name, path: source.path, interval: "30s" }],
                },
            }, child));
        }

        this.rules = new k8s.apiextensions.CustomResource(`${name}-rules`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { ...objectMeta(cfg, "monitoring", fullName(cfg, "alerts")), labels: labels("monitoring") },
            spec: { groups: ruleGroups(plan) },
        }, child);

        const boards = m.dashboards ? dashboards(plan) : [];
        for (const d of boards) {
            const cmName = `${fullName(cfg, "dashboard")}-${d.uid.replace(/^the0-/, "").replace(/-[^-]+$/, "")}`;
            this.dashboards.push(new k8s.core.v1.ConfigMap(`${name}-${cmName}`, {
                metadata: { ...objectMeta(cfg, "monitoring", cmName), labels: { ...objectMeta(cfg, "monitoring").labels, ...DASHBOARD_LABEL } },
                data: { [`${d.uid}.json`]: grafanaJson(d) },
            }, child));
        }

        this.summary = {
            stack: `the cluster's, in namespace ${m.namespace} (objects labelled ${m.selectorLabel})`,
            alerts: alertRules(plan).map((r) => r.alert),
            dashboards: boards.map((d) => d.title),
            // With the cluster-addons project's kube-prometheus-stack, its Grafana is named after the release.
            grafana: `kubectl -n ${m.namespace} port-forward svc/${release}-grafana 3000:80 (kube-prometheus-stack of the cluster-addons project; another stack: its own Grafana), then http://localhost:3000; dashboards are ConfigMaps labelled grafana_dashboard=1 in this namespace`,
        };
        this.registerOutputs({ stack: this.summary.stack });
    }
}
