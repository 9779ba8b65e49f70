// The object-typed config keys, described once. The parser checks a stack's values against these
// shapes (types, allowed words, unknown fields), and the TypeScript types of the resolved config are
// inferred from them (Infer), so a field is never declared twice.

/** A leaf: a scalar type, or the words a string may take. */
export type Leaf = "string" | "integer" | "boolean" | readonly string[];
export interface Shape {
    readonly [field: string]: Leaf | Shape;
}

/** The TypeScript type a shape describes. */
export type Infer<S> = {
    -readonly [K in keyof S]: S[K] extends readonly (infer Word)[] ? Word : S[K] extends "string" ? string : S[K] extends "integer" ? number : S[K] extends "boolean" ? boolean : Infer<S[K]>;
};

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export const DATA_MODES = ["inCluster", "external"] as const;
export const OBJECT_STORAGE_MODES = ["standalone", "distributed", "external"] as const;
export const TLS_ISSUERS = ["selfSigned", "letsencrypt-staging", "letsencrypt-production", "none"] as const;
/** How a cluster add-on (cert-manager, ingress controller) gets there. */
export const ADDON_MODES = ["install", "existing"] as const;
export const INGRESS_CONTROLLER_MODES = ["minikubeAddon", "install", "existing"] as const;
/** Where backups go: any S3-compatible endpoint, or (dev only) a bucket in the in-cluster object storage. */
export const BACKUP_TARGET_KINDS = ["s3", "inCluster"] as const;
/** How the monitoring stack gets there: installed by this stack (kube-prometheus-stack), or one the cluster has. */
export const MONITORING_STACKS = ["install", "existing"] as const;
export const POSTGRES_SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;

const RESOURCES = {
    requests: { cpu: "string", memory: "string" },
    limits: { cpu: "string", memory: "string" },
} as const satisfies Shape;

/** Data volume fields; their names are the config keys (`postgres.storageSize`, ...). */
export const VOLUME_SHAPE = { storageSize: "string", storageClass: "string" } as const satisfies Shape;

export const APP_SHAPE = {
    enabled: "boolean",
    image: "string",
    replicas: "integer",
    resources: RESOURCES,
    autoscaling: { enabled: "boolean", minReplicas: "integer", maxReplicas: "integer", targetCpuPercent: "integer" },
} as const satisfies Shape;

export const POSTGRES_SHAPE = {
    mode: DATA_MODES, image: "string", database: "string", user: "string", ...VOLUME_SHAPE, resources: RESOURCES,
    external: { host: "string", port: "integer", sslmode: POSTGRES_SSL_MODES },
} as const satisfies Shape;

export const MONGO_SHAPE = {
    mode: DATA_MODES, image: "string", rootUser: "string", database: "string", ...VOLUME_SHAPE, resources: RESOURCES,
    external: { host: "string", port: "integer", user: "string", authSource: "string", options: "string" },
} as const satisfies Shape;

export const REDIS_SHAPE = {
    enabled: "boolean", mode: DATA_MODES, image: "string", ...VOLUME_SHAPE, resources: RESOURCES,
    external: { host: "string", port: "integer" },
} as const satisfies Shape;

export const OBJECT_STORAGE_SHAPE = {
    mode: OBJECT_STORAGE_MODES, image: "string", replicas: "integer", ...VOLUME_SHAPE, resources: RESOURCES,
    external: { endpoint: "string", port: "integer", useSsl: "boolean" },
} as const satisfies Shape;

export const NATS_SHAPE = {
    mode: DATA_MODES, image: "string", replicas: "integer", ...VOLUME_SHAPE,
    /** JetStream memory store; the0's THE0_BOT_LOGS stream alone needs 128 MB. */
    memoryStoreSize: "string",
    resources: RESOURCES,
    /** Client auth: always false (the0 1.14's api cannot send NATS credentials); kept so `true` is refused with the reason. */
    auth: "boolean",
} as const satisfies Shape;

export const NODE_PORTS_SHAPE = {
    enabled: "boolean", api: "integer", frontend: "integer", minio: "integer", minioConsole: "integer", docs: "integer",
} as const satisfies Shape;

export const INGRESS_SHAPE = {
    enabled: "boolean",
    className: "string",
    controller: INGRESS_CONTROLLER_MODES,
    /** Namespace the ingress controller runs in (NetworkPolicies admit it to the web services). */
    controllerNamespace: "string",
    controllerChartVersion: "string",
    certManager: ADDON_MODES,
    certManagerChartVersion: "string",
    tlsIssuer: TLS_ISSUERS,
    acmeEmail: "string",
    hosts: { frontend: "string", api: "string", docs: "string" },
} as const satisfies Shape;

export const HA_SHAPE = {
    /** PodDisruptionBudgets for replicated workloads. */
    disruptionBudgets: "boolean",
    /** Spread replicas across nodes (topologySpreadConstraints on kubernetes.io/hostname). */
    spreadAcrossNodes: "boolean",
} as const satisfies Shape;

export const APPS_SHAPE = {
    api: APP_SHAPE, frontend: APP_SHAPE, docs: APP_SHAPE, botController: APP_SHAPE, gc: APP_SHAPE, securityAnalyzer: APP_SHAPE, aiAgent: APP_SHAPE,
} as const satisfies Shape;

export const BACKUPS_SHAPE = {
    enabled: "boolean",
    /** Cron schedule (UTC) of every backup CronJob. */
    schedule: "string",
    /** Backups kept per store: the newest `count` (0 = no count limit), none older than `maxAgeDays` (0 = no age limit). */
    retention: { count: "integer", maxAgeDays: "integer" },
    target: {
        kind: BACKUP_TARGET_KINDS,
        /** s3: the endpoint URL (https://s3.eu-west-1.amazonaws.com, https://minio.example.com:9000). */
        endpoint: "string",
        bucket: "string",
        /** Path inside the bucket before <stack>/<store>/; "" for none. */
        prefix: "string",
        /** s3: a Secret of yours with keys access-key and secret-key, instead of backupAccessKey/backupSecretKey. */
        existingSecret: "string",
    },
    /** The MinIO client image that uploads, mirrors and enforces retention. */
    clientImage: "string",
    /** Per job container. */
    resources: RESOURCES,
    /** A run that takes longer is stopped (the Job's activeDeadlineSeconds). */
    deadlineSeconds: "integer",
} as const satisfies Shape;

export const MONITORING_SHAPE = {
    enabled: "boolean",
    stack: MONITORING_STACKS,
    /** Namespace the Prometheus runs in: NetworkPolicies admit it to exactly the metrics ports. */
    namespace: "string",
    /** `key=value` label the Prometheus selects monitors and rules by (kube-prometheus-stack: release=<its release>). */
    selectorLabel: "string",
    /** stack install: the kube-prometheus-stack chart version. */
    chartVersion: "string",
    /** Metrics sources, each optional: NATS's exporter sidecar, MinIO's own endpoint, PostgreSQL's and MongoDB's exporter sidecars. */
    exporters: { nats: "boolean", objectStorage: "boolean", postgres: "boolean", mongo: "boolean" },
    images: { natsExporter: "string", postgresExporter: "string", mongoExporter: "string" },
    /** Per exporter sidecar. */
    resources: RESOURCES,
    /** Grafana dashboards as ConfigMaps for Grafana's dashboard sidecar. */
    dashboards: "boolean",
} as const satisfies Shape;
