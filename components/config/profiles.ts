// Sizing and feature defaults per profile, kept as data. A stack's own keys override them.
// App-service sizing lives with each service in components/model/catalog.ts.
import { Profile, res } from "../model/basics";
import { BackupsConfig, HighAvailability, MonitoringConfig, IngressConfig, MongoConfig, NatsConfig, NodePortsConfig, ObjectStorageConfig, PostgresConfig, PullPolicy, RedisConfig } from "./types";

/**
 * Data-service images. Official images, pinned; MinIO from quay.io (minio/minio left Docker Hub).
 * Each pin carries a `renovate:` annotation, so Renovate proposes updates (renovate.json).
 */
export const DATA_IMAGES = {
    // renovate: datasource=docker depName=postgres
    postgres: "postgres:15.13-alpine",
    // renovate: datasource=docker depName=mongo
    mongo: "mongo:7.0.28-jammy",
    // renovate: datasource=docker depName=redis
    redis: "redis:7.4.2-alpine",
    // renovate: datasource=docker depName=nats
    nats: "nats:2.10.29-alpine",
    // renovate: datasource=docker depName=quay.io/minio/minio versioning=regex:^RELEASE\.(?<major>\d{4})-(?<minor>\d{2})-(?<patch>\d{2})T
    minio: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z",
    // The MinIO client the backup jobs run (its last published quay.io release).
    // renovate: datasource=docker depName=quay.io/minio/mc versioning=regex:^RELEASE\.(?<major>\d{4})-(?<minor>\d{2})-(?<patch>\d{2})T
    mc: "quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z",
} as const;

/** Exporter images for monitoring, pinned like every image. */
export const EXPORTER_IMAGES = {
    // renovate: datasource=docker depName=natsio/prometheus-nats-exporter
    natsExporter: "natsio/prometheus-nats-exporter:0.20.1",
    // renovate: datasource=docker depName=quay.io/prometheuscommunity/postgres-exporter
    postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.17.1",
    // renovate: datasource=docker depName=percona/mongodb_exporter
    mongoExporter: "percona/mongodb_exporter:0.44.0",
} as const;

/** Where cert-manager runs (the cluster-addons project installs it there). */
export const CERT_MANAGER_NAMESPACE = "cert-manager";

/** Pinned chart versions for the optional Helm installs (the cluster-addons project's and monitoring's). */
export const CHART_VERSIONS = {
    // renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
    certManager: "v1.21.1",
    // Envoy Gateway's chart is an OCI artifact (oci://docker.io/envoyproxy/gateway-helm); v1.9.1 bundles Gateway API v1.6.1.
    // renovate: datasource=docker depName=docker.io/envoyproxy/gateway-helm
    envoyGateway: "v1.9.1",
    // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    kubePrometheusStack: "82.6.0",
} as const;

/**
 * the0's release: the tag of its api, frontend, docs and runtime images. Renovate proposes a new
 * release together with the chart the parity test renders (.github/workflows/ci.yml), as one change.
 */
// renovate: datasource=docker depName=ghcr.io/alexanderwanyoike/the0/api
export const THE0_VERSION = "1.14.0";

export interface ProfileDefaults {
    domain: string;
    rootAdminEmail: string;
    imagePullPolicy: PullPolicy;
    storageClass: string;
    postgres: Omit<PostgresConfig, "image" | "storageClass">;
    mongo: Omit<MongoConfig, "image" | "storageClass">;
    redis: Omit<RedisConfig, "image" | "storageClass">;
    objectStorage: Omit<ObjectStorageConfig, "image" | "storageClass">;
    nats: Omit<NatsConfig, "image" | "storageClass">;
    nodePorts: NodePortsConfig;
    ingress: Omit<IngressConfig, "hosts">;
    ha: HighAvailability;
    backups: Omit<BackupsConfig, "clientImage">;
    monitoring: MonitoringConfig;
}

const THE0_NODE_PORTS: NodePortsConfig = {
    enabled: true,
    api: 30000,
    frontend: 30001,
    minio: 30002,
    minioConsole: 30003,
    docs: 30004,
};

/** Daily at 02:17 UTC (off the hour, when many clusters run their own jobs); a week of backups kept. */
const BACKUPS: Omit<BackupsConfig, "clientImage"> = {
    enabled: false,
    schedule: "17 2 * * *",
    retention: { count: 7, maxAgeDays: 0 },
    target: { kind: "inCluster", endpoint: "", bucket: "the0-backups", prefix: "", existingSecret: "" },
    resources: res("100m", "128Mi", "1", "1Gi"),
    deadlineSeconds: 3600,
};

/**
 * Metrics sources for the Prometheus of kube-prometheus-stack (its default release name). MongoDB's
 * exporter is off: it is not proven against a real mongod here, and a failing sidecar would make the
 * database's pod unready.
 */
const MONITORING: MonitoringConfig = {
    enabled: false,
    stack: "install",
    namespace: "monitoring",
    selectorLabel: "release=kube-prometheus-stack",
    chartVersion: CHART_VERSIONS.kubePrometheusStack,
    exporters: { nats: true, objectStorage: true, postgres: true, mongo: false },
    images: { ...EXPORTER_IMAGES },
    resources: res("10m", "32Mi", "100m", "64Mi"),
    dashboards: true,
};

/** Where Envoy Gateway (the cluster-addons project's Gateway API implementation) runs its controller and proxies. */
export const ENVOY_GATEWAY_NAMESPACE = "envoy-gateway-system";
/** The GatewayClass the cluster-addons project creates for Envoy Gateway. */
export const ENVOY_GATEWAY_CLASS = "eg";

/** Exposure defaults both profiles start from. */
const INGRESS: Omit<IngressConfig, "hosts"> = {
    enabled: true,
    mode: "ingress",
    className: "nginx",
    controller: "existing",
    controllerKind: "other",
    controllerNamespace: "",
    annotations: {},
    hostAnnotations: { frontend: {}, api: {}, docs: {} },
    gateway: { create: true, className: ENVOY_GATEWAY_CLASS, name: "", namespace: "", sectionName: "" },
    certManager: "existing",
    tlsIssuer: "none",
    clusterIssuer: "",
    acmeEmail: "",
    // the0's custom-bot upload takes up to 200 MB; five minutes covers it at about 5 Mbit/s.
    requestTimeoutSeconds: 300,
};

const EXTERNAL_POSTGRES: PostgresConfig["external"] = { host: "", port: 5432, sslmode: "require" };
const EXTERNAL_MONGO = { host: "", port: 27017, user: "root", authSource: "admin", options: "" };
const EXTERNAL_REDIS = { host: "", port: 6379 };
const EXTERNAL_OBJECT_STORAGE = { endpoint: "", port: 443, useSsl: true };

export const PROFILE_DEFAULTS: Record<Profile, ProfileDefaults> = {
    // Sized for `minikube start --cpus=4 --memory=8g`; the0's own chart values where it has them.
    minikube: {
        domain: "the0.local",
        rootAdminEmail: "admin@the0.local",
        imagePullPolicy: "IfNotPresent",
        storageClass: "standard",
        postgres: { mode: "inCluster", database: "the0_oss", user: "the0", storageSize: "10Gi", resources: res("100m", "256Mi", "500m", "512Mi"), external: EXTERNAL_POSTGRES },
        mongo: { mode: "inCluster", rootUser: "root", database: "bot_runner", storageSize: "10Gi", resources: res("100m", "256Mi", "500m", "512Mi"), external: EXTERNAL_MONGO },
        redis: { enabled: false, mode: "inCluster", storageSize: "1Gi", resources: res("50m", "64Mi", "200m", "256Mi"), external: EXTERNAL_REDIS },
        objectStorage: { mode: "standalone", replicas: 1, storageSize: "20Gi", resources: res("100m", "256Mi", "500m", "512Mi"), external: EXTERNAL_OBJECT_STORAGE },
        nats: { mode: "inCluster", replicas: 1, storageSize: "5Gi", memoryStoreSize: "256Mi", resources: res("50m", "128Mi", "500m", "512Mi"), auth: false },
        nodePorts: THE0_NODE_PORTS,
        // Minikube's ingress addon (ingress-nginx), with a self-signed CA; cert-manager from the cluster-addons dev stack.
        ingress: { ...INGRESS, mode: "ingress", controller: "minikubeAddon", controllerKind: "ingress-nginx", controllerNamespace: "ingress-nginx", tlsIssuer: "selfSigned" },
        // PDBs appear only for workloads scaled above one replica; one node cannot spread.
        ha: { disruptionBudgets: true, spreadAcrossNodes: false },
        // Off: a laptop's cluster; when switched on, a bucket in the in-cluster MinIO is enough for trying it.
        backups: BACKUPS,
        // Off: switched on, it installs kube-prometheus-stack into the cluster.
        monitoring: MONITORING,
    },
    // Replicated and spread; sizes for a small production cluster.
    cloud: {
        domain: "",
        rootAdminEmail: "",
        imagePullPolicy: "Always",
        storageClass: "",
        postgres: { mode: "inCluster", database: "the0_oss", user: "the0", storageSize: "50Gi", resources: res("500m", "1Gi", "2", "4Gi"), external: EXTERNAL_POSTGRES },
        mongo: { mode: "inCluster", rootUser: "root", database: "bot_runner", storageSize: "50Gi", resources: res("500m", "1Gi", "2", "4Gi"), external: EXTERNAL_MONGO },
        redis: { enabled: false, mode: "inCluster", storageSize: "8Gi", resources: res("100m", "256Mi", "500m", "512Mi"), external: EXTERNAL_REDIS },
        objectStorage: { mode: "distributed", replicas: 4, storageSize: "50Gi", resources: res("250m", "512Mi", "1", "2Gi"), external: EXTERNAL_OBJECT_STORAGE },
        nats: { mode: "inCluster", replicas: 3, storageSize: "10Gi", memoryStoreSize: "512Mi", resources: res("250m", "1Gi", "1", "1Gi"), auth: false },
        nodePorts: { ...THE0_NODE_PORTS, enabled: false },
        // Gateway API: a Gateway of this stack's own for the cluster-addons project's Envoy Gateway class.
        ingress: { ...INGRESS, mode: "gateway", controller: "existing", controllerKind: "other", controllerNamespace: ENVOY_GATEWAY_NAMESPACE, tlsIssuer: "letsencrypt-staging" },
        ha: { disruptionBudgets: true, spreadAcrossNodes: true },
        // On, to a store outside the cluster: its endpoint and bucket are the stack's to set.
        backups: { ...BACKUPS, enabled: true, retention: { count: 14, maxAgeDays: 30 }, target: { ...BACKUPS.target, kind: "s3", bucket: "" } },
        // On, for the Prometheus Operator a managed cluster usually has already.
        monitoring: { ...MONITORING, enabled: true, stack: "existing" },
    },
};
