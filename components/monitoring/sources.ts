// Where metrics come from, as data: NATS through the prometheus-nats-exporter sidecar (as the nats-io
// chart does), MinIO from its own endpoint, PostgreSQL and MongoDB through their community exporters
// as sidecars that talk to the server over 127.0.0.1. the0's own pods (bots included) are measured by
// the cluster's kube-state-metrics and cAdvisor, which the monitoring stack brings.
import { PlatformConfig } from "../config/types";
import { isInCluster } from "../endpoints";
import { appSecretName } from "../k8s/meta";
import { ContainerArgs } from "../k8s/workload";
import { PORTS } from "../model/ports";

export const METRICS_KEYS = ["nats", "objectStorage", "postgres", "mongo"] as const;
export type MetricsKey = (typeof METRICS_KEYS)[number];

export interface MetricsSource {
    key: MetricsKey;
    /** The pods' app.kubernetes.io/component. */
    component: string;
    /** The container port Prometheus scrapes, by name, and its path. */
    port: { name: string; number: number };
    path: string;
    /** Served by an exporter sidecar (its image key), or by the server itself. */
    exporter?: "natsExporter" | "postgresExporter" | "mongoExporter";
}

export const METRICS_SOURCES: Readonly<Record<MetricsKey, MetricsSource>> = {
    nats: { key: "nats", component: "nats", port: { name: "metrics", number: 7777 }, path: "/metrics", exporter: "natsExporter" },
    objectStorage: { key: "objectStorage", component: "minio", port: { name: "api", number: PORTS.minioApi }, path: "/minio/v2/metrics/cluster" },
    postgres: { key: "postgres", component: "postgres", port: { name: "metrics", number: 9187 }, path: "/metrics", exporter: "postgresExporter" },
    mongo: { key: "mongo", component: "mongo", port: { name: "metrics", number: 9216 }, path: "/metrics", exporter: "mongoExporter" },
};

/** The sources this stack serves: monitoring on, the store in the cluster, its exporter switched on. */
export function metricsSources(cfg: PlatformConfig): MetricsSource[] {
    if (!cfg.monitoring.enabled) return [];
    return METRICS_KEYS.filter((k) => cfg.monitoring.exporters[k] && isInCluster(cfg, k)).map((k) => METRICS_SOURCES[k]);
}

export function isMeasured(cfg: PlatformConfig, key: MetricsKey): boolean {
    return metricsSources(cfg).some((s) => s.key === key);
}

/**
 * The exporter sidecar of a data service's pod (none when not measured). It runs as the pod's user,
 * hardened like every container, and reaches its server on 127.0.0.1 (a pod's own Service would need a
 * NetworkPolicy path to itself).
 */
export function exporterSidecar(cfg: PlatformConfig, key: "nats" | "postgres" | "mongo", user: ContainerArgs["user"]): ContainerArgs[] {
    if (!isMeasured(cfg, key)) return [];
    const source = METRICS_SOURCES[key];
    const base = {
        name: "metrics",
        image: cfg.monitoring.images[source.exporter!],
        pullPolicy: cfg.imagePullPolicy,
        ports: [{ name: source.port.name, containerPort: source.port.number }],
        resources: cfg.monitoring.resources,
        user,
    };
    const secret = appSecretName(cfg);
    switch (key) {
        case "nats":
            return [{ ...base, args: [`-port=${source.port.number}`, "-varz", "-jsz=all", "-connz", "-routez", "-healthz", `http://127.0.0.1:${PORTS.natsMonitor}`] }];
        case "postgres":
            return [{
                ...base,
                args: [`--web.listen-address=:${source.port.number}`],
                env: [
                    // Host, user and password apart: the password needs no URL encoding.
                    { name: "DATA_SOURCE_URI", value: `127.0.0.1:${PORTS.postgres}/${cfg.postgres.database}?sslmode=disable` },
                    { name: "DATA_SOURCE_USER", value: cfg.postgres.user },
                    { name: "DATA_SOURCE_PASS", valueFrom: { secretKeyRef: { name: secret, key: "postgresql-password" } } },
                ],
            }];
        case "mongo":
            return [{
                ...base,
                args: [`--mongodb.uri=mongodb://127.0.0.1:${PORTS.mongo}/admin`, `--web.listen-address=:${source.port.number}`, "--collect-all", "--compatible-mode"],
                env: [
                    { name: "MONGODB_USER", value: cfg.mongo.rootUser },
                    { name: "MONGODB_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: "mongodb-root-password" } } },
                ],
            }];
    }
}
