// The object-typed config keys, described once. The parser checks a stack's values against these
// shapes (types, allowed words, unknown fields), and the TypeScript types of the resolved config are
// inferred from them (Infer), so a field is never declared twice.

/** A leaf: a scalar type, a map of strings (annotations), or the words a string may take. */
export type Leaf = "string" | "integer" | "boolean" | "stringMap" | readonly string[];
export interface Shape {
    readonly [field: string]: Leaf | Shape;
}

/** The TypeScript type a shape describes. */
export type Infer<S> = {
    -readonly [K in keyof S]: S[K] extends readonly (infer Word)[] ? Word : S[K] extends "string" ? string : S[K] extends "integer" ? number : S[K] extends "boolean" ? boolean : S[K] extends "stringMap" ? Record<string, string> : Infer<S[K]>;
};

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export const DATA_MODES = ["inCluster", "external"] as const;
/**
 * PostgreSQL also runs as a CloudNativePG Cluster: the operator (from the cluster-addons project) runs
 * the instances, their failover, base backups and WAL archive; this program declares the Cluster.
 */
export const POSTGRES_MODES = ["inCluster", "external", "cloudnative-pg"] as const;
export const OBJECT_STORAGE_MODES = ["standalone", "distributed", "external"] as const;
/** Who signs the certificates: a namespaced issuer this stack creates, a ClusterIssuer the cluster has, or no TLS. */
export const TLS_ISSUERS = ["selfSigned", "letsencrypt-staging", "letsencrypt-production", "clusterIssuer", "none"] as const;
/** How web traffic gets in: Ingresses for an IngressClass, or HTTPRoutes on a Gateway (Gateway API). */
export const EXPOSURE_MODES = ["ingress", "gateway"] as const;
/** How a cluster add-on gets there. `install` is kept only to refuse it with the way out: add-ons are the cluster-addons project's. */
export const ADDON_MODES = ["existing", "install"] as const;
export const INGRESS_CONTROLLER_MODES = ["minikubeAddon", "existing", "install"] as const;
/** The controller behind the IngressClass: picks the annotations that let a 200 MB upload through. */
export const INGRESS_CONTROLLER_KINDS = ["ingress-nginx", "nginx", "traefik", "haproxy", "other"] as const;
/** Where backups go: any S3-compatible endpoint, or (dev only) a bucket in the in-cluster object storage. */
export const BACKUP_TARGET_KINDS = ["s3", "inCluster"] as const;
/** The monitoring stack the cluster has (the cluster-addons project installs one); `install` is kept only to refuse it with the way out. */
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
    mode: POSTGRES_MODES, image: "string", database: "string", user: "string", ...VOLUME_SHAPE, resources: RESOURCES,
    external: { host: "string", port: "integer", sslmode: POSTGRES_SSL_MODES },
    /** mode cloudnative-pg: how many instances (one primary, the rest streaming replicas) and where the operator runs. */
    cloudnativePg: { instances: "integer", operatorNamespace: "string" },
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

const HOST_MAPS = { frontend: "stringMap", api: "stringMap", docs: "stringMap" } as const satisfies Shape;

export const INGRESS_SHAPE = {
    enabled: "boolean",
    mode: EXPOSURE_MODES,
    /** mode ingress: the IngressClass. */
    className: "string",
    controller: INGRESS_CONTROLLER_MODES,
    controllerKind: INGRESS_CONTROLLER_KINDS,
    /** Namespace the traffic comes from: the ingress controller's, or the Gateway's data plane (NetworkPolicies admit it). */
    controllerNamespace: "string",
    /** Annotations on every Ingress (mode ingress), then per host; yours win over the program's. */
    annotations: "stringMap",
    hostAnnotations: HOST_MAPS,
    gateway: {
        /** true: this stack creates its Gateway (namespaced) for a GatewayClass; false: its routes attach to an existing Gateway. */
        create: "boolean",
        className: "string",
        /** create: the Gateway's name ("" = the instance name); existing: the Gateway's name. */
        name: "string",
        /** existing: the Gateway's namespace ("" = this stack's). */
        namespace: "string",
        /** existing: the HTTPS listener the routes attach to. */
        sectionName: "string",
    },
    certManager: ADDON_MODES,
    tlsIssuer: TLS_ISSUERS,
    /** tlsIssuer clusterIssuer: its name (for example one the cluster-addons project created). */
    clusterIssuer: "string",
    acmeEmail: "string",
    /** How long one request may take end to end (a 200 MB bot upload on a slow link). */
    requestTimeoutSeconds: "integer",
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
    /** Metrics sources, each optional: NATS's exporter sidecar, MinIO's own endpoint, PostgreSQL's and MongoDB's exporter sidecars. */
    exporters: { nats: "boolean", objectStorage: "boolean", postgres: "boolean", mongo: "boolean" },
    images: { natsExporter: "string", postgresExporter: "string", mongoExporter: "string" },
    /** Per exporter sidecar. */
    resources: RESOURCES,
    /** Grafana dashboards as ConfigMaps for Grafana's dashboard sidecar. */
    dashboards: "boolean",
} as const satisfies Shape;
