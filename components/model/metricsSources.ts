// Where metrics come from, as data: NATS through the prometheus-nats-exporter sidecar (as the nats-io
// chart does), MinIO from its own endpoint, PostgreSQL and MongoDB through their community exporters
// as sidecars that talk to the server over 127.0.0.1. the0's own pods (bots included) are measured by
// the cluster's kube-state-metrics and cAdvisor, which the monitoring stack brings.
import { PORTS } from "./ports";

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
