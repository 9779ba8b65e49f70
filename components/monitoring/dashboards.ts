// Grafana dashboards, generated from data: each panel is a title, its PromQL and a unit, laid out in
// a grid. Shipped as ConfigMaps for Grafana's dashboard sidecar (monitoring.ts); the contract suite
// parses every query with promtool and checks the exporters' metric names against real scrapes.
import { backupJobName } from "../plan/backups";
import { BACKUP_STORES } from "../model/backupStores";
import { DeploymentPlan, isMeasured } from "../plan/plan";

export interface Panel {
    title: string;
    unit: "short" | "bytes" | "percentunit" | "s" | "ops" | "reqps";
    queries: Array<{ expr: string; legend: string }>;
}

export interface Dashboard {
    uid: string;
    title: string;
    panels: Panel[];
}

export function dashboards(plan: DeploymentPlan): Dashboard[] {
    const cfg = plan.config;
    const ns = `namespace="${cfg.kubernetes.namespace}"`;
    const out: Dashboard[] = [];
    const backupJobs = BACKUP_STORES.map((store) => backupJobName(cfg, store)).join("|");
    out.push({
        uid: `the0-overview-${cfg.kubernetes.namespace}`,
        title: `the0 overview (${cfg.kubernetes.namespace})`,
        panels: [
            { title: "Services: available replicas", unit: "short", queries: [{ expr: `kube_deployment_status_replicas_available{${ns}}`, legend: "{{deployment}}" }] },
            { title: "Data services: ready replicas", unit: "short", queries: [{ expr: `kube_statefulset_status_replicas_ready{${ns}}`, legend: "{{statefulset}}" }] },
            { title: "Pods running (services and bots)", unit: "short", queries: [{ expr: `sum(kube_pod_status_phase{${ns}, phase="Running"})`, legend: "running" }, { expr: `sum(kube_pod_status_phase{${ns}, phase=~"Pending|Failed"})`, legend: "pending or failed" }] },
            { title: "Container restarts (1h)", unit: "short", queries: [{ expr: `topk(10, sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns}}[1h])))`, legend: "{{pod}}" }] },
            { title: "CPU used against requests", unit: "percentunit", queries: [{ expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${ns}, container!=""}[5m])) / sum by (pod) (kube_pod_container_resource_requests{${ns}, resource="cpu"})`, legend: "{{pod}}" }] },
            { title: "Memory used against requests", unit: "percentunit", queries: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${ns}, container!=""}) / sum by (pod) (kube_pod_container_resource_requests{${ns}, resource="memory"})`, legend: "{{pod}}" }] },
            { title: "Data volumes: fill", unit: "percentunit", queries: [{ expr: `kubelet_volume_stats_used_bytes{${ns}} / kubelet_volume_stats_capacity_bytes{${ns}}`, legend: "{{persistentvolumeclaim}}" }] },
            { title: "Time since the last successful backup", unit: "s", queries: [{ expr: `time() - kube_cronjob_status_last_successful_time{${ns}, cronjob=~"${backupJobs}"}`, legend: "{{cronjob}}" }] },
        ],
    });
    if (isMeasured(plan, "nats")) {
        out.push({
            uid: `the0-nats-${cfg.kubernetes.namespace}`,
            title: `the0 NATS and JetStream (${cfg.kubernetes.namespace})`,
            panels: [
                { title: "Client connections", unit: "short", queries: [{ expr: `gnatsd_varz_connections{${ns}}`, legend: "{{server_id}}" }] },
                { title: "Messages in and out", unit: "ops", queries: [{ expr: `sum(rate(gnatsd_varz_in_msgs{${ns}}[5m]))`, legend: "in" }, { expr: `sum(rate(gnatsd_varz_out_msgs{${ns}}[5m]))`, legend: "out" }] },
                { title: "JetStream storage used of its limit", unit: "percentunit", queries: [{ expr: `gnatsd_varz_jetstream_stats_storage{${ns}} / gnatsd_varz_jetstream_config_max_storage{${ns}}`, legend: "{{server_id}}" }] },
                { title: "JetStream memory used of its limit", unit: "percentunit", queries: [{ expr: `gnatsd_varz_jetstream_stats_memory{${ns}} / gnatsd_varz_jetstream_config_max_memory{${ns}}`, legend: "{{server_id}}" }] },
                { title: "Streams and messages", unit: "short", queries: [{ expr: `max(jetstream_server_total_streams{${ns}})`, legend: "streams" }, { expr: `max(jetstream_server_total_messages{${ns}})`, legend: "messages" }] },
            ],
        });
    }
    if (isMeasured(plan, "objectStorage")) {
        out.push({
            uid: `the0-minio-${cfg.kubernetes.namespace}`,
            title: `the0 object storage (${cfg.kubernetes.namespace})`,
            panels: [
                { title: "Nodes online and offline", unit: "short", queries: [{ expr: `max(minio_cluster_nodes_online_total{${ns}})`, legend: "online" }, { expr: `max(minio_cluster_nodes_offline_total{${ns}})`, legend: "offline" }] },
                { title: "Usable capacity free", unit: "bytes", queries: [{ expr: `max(minio_cluster_capacity_usable_free_bytes{${ns}})`, legend: "free" }, { expr: `max(minio_cluster_capacity_usable_total_bytes{${ns}})`, legend: "total" }] },
                { title: "S3 requests", unit: "reqps", queries: [{ expr: `sum by (api) (rate(minio_s3_requests_total{${ns}}[5m]))`, legend: "{{api}}" }] },
                { title: "S3 errors", unit: "reqps", queries: [{ expr: `sum by (api) (rate(minio_s3_requests_errors_total{${ns}}[5m]))`, legend: "{{api}}" }] },
            ],
        });
    }
    if (isMeasured(plan, "postgres") && plan.postgresCluster) {
        // CloudNativePG's instances: its collector and default queries (cnpg_collector_*, cnpg_<query>_<column>).
        const pods = `${ns}, pod=~"${plan.postgresCluster.name}-[0-9]+"`;
        out.push({
            uid: `the0-postgres-${cfg.kubernetes.namespace}`,
            title: `the0 PostgreSQL, CloudNativePG (${cfg.kubernetes.namespace})`,
            panels: [
                { title: "Instances up", unit: "short", queries: [{ expr: `cnpg_collector_up{${pods}}`, legend: "{{pod}}" }] },
                { title: "Connections", unit: "short", queries: [{ expr: `sum by (pod, datname) (cnpg_backends_total{${pods}})`, legend: "{{pod}} {{datname}}" }] },
                { title: "Transactions", unit: "ops", queries: [{ expr: `sum by (datname) (rate(cnpg_pg_stat_database_xact_commit{${pods}}[5m]))`, legend: "{{datname}} commits" }, { expr: `sum by (datname) (rate(cnpg_pg_stat_database_xact_rollback{${pods}}[5m]))`, legend: "{{datname}} rollbacks" }] },
                { title: "Database size", unit: "bytes", queries: [{ expr: `max by (datname) (cnpg_pg_database_size_bytes{${pods}})`, legend: "{{datname}}" }] },
                { title: "Replication lag", unit: "s", queries: [{ expr: `cnpg_pg_replication_lag{${pods}}`, legend: "{{pod}}" }] },
                { title: "Since the last archived WAL segment", unit: "s", queries: [{ expr: `cnpg_pg_stat_archiver_seconds_since_last_archival{${pods}}`, legend: "{{pod}}" }] },
            ],
        });
    } else if (isMeasured(plan, "postgres")) {
        out.push({
            uid: `the0-postgres-${cfg.kubernetes.namespace}`,
            title: `the0 PostgreSQL (${cfg.kubernetes.namespace})`,
            panels: [
                { title: "Up", unit: "short", queries: [{ expr: `pg_up{${ns}}`, legend: "{{pod}}" }] },
                { title: "Connections", unit: "short", queries: [{ expr: `sum by (datname) (pg_stat_database_numbackends{${ns}})`, legend: "{{datname}}" }] },
                { title: "Transactions", unit: "ops", queries: [{ expr: `sum by (datname) (rate(pg_stat_database_xact_commit{${ns}}[5m]))`, legend: "{{datname}} commits" }, { expr: `sum by (datname) (rate(pg_stat_database_xact_rollback{${ns}}[5m]))`, legend: "{{datname}} rollbacks" }] },
                { title: "Database size", unit: "bytes", queries: [{ expr: `pg_database_size_bytes{${ns}}`, legend: "{{datname}}" }] },
            ],
        });
    }
    return out;
}

/** A dashboard as Grafana's JSON model: panels two to a row, each query a target. */
export function grafanaJson(d: Dashboard): string {
    return JSON.stringify({
        uid: d.uid,
        title: d.title,
        tags: ["the0"],
        timezone: "utc",
        schemaVersion: 39,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", current: {} }] },
        panels: d.panels.map((p, i) => ({
            id: i + 1,
            type: "timeseries",
            title: p.title,
            datasource: { type: "prometheus", uid: "${datasource}" },
            gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
            fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
            targets: p.queries.map((q, j) => ({ refId: String.fromCharCode(65 + j), expr: q.expr, legendFormat: q.legend })),
        })),
    }, null, 2);
}
