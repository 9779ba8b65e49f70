// Every project config key, kept as data. Pulumi.yaml's `config:` block must say the same
// (tests/program.test.ts compares them), and the loader reads exactly these keys.

export type ScalarType = "string" | "integer" | "boolean";

/** Shape of an object-typed key: each field is a scalar or a nested shape. */
export interface Shape {
    [field: string]: ScalarType | Shape;
}

export interface ConfigKeySpec {
    key: string;
    type: ScalarType | "object";
    description: string;
    /** Default written into Pulumi.yaml; "" / {} mean "take it from the profile". */
    default: string | number | boolean | Record<string, never>;
    secret?: boolean;
    shape?: Shape;
}

const RESOURCES: Shape = {
    requests: { cpu: "string", memory: "string" },
    limits: { cpu: "string", memory: "string" },
};

const APP: Shape = {
    enabled: "boolean",
    image: "string",
    replicas: "integer",
    resources: RESOURCES,
    autoscaling: { enabled: "boolean", minReplicas: "integer", maxReplicas: "integer", targetCpuPercent: "integer" },
};

const STORAGE_FIELDS: Shape = { storageSize: "string", storageClass: "string" };

export const CONFIG_SCHEMA: readonly ConfigKeySpec[] = [
    { key: "profile", type: "string", default: "minikube", description: "Sizing profile: minikube | cloud. Supplies every default that the stack does not set." },
    { key: "kubeContext", type: "string", default: "", description: "kubeconfig context to deploy to; empty uses the current context." },
    { key: "namespace", type: "string", default: "the0", description: "Namespace for every the0 object (DNS-1123 label)." },
    { key: "instanceName", type: "string", default: "the0", description: "Prefix of every object name, like the0's Helm fullname (the0 => the0-api)." },
    { key: "domain", type: "string", default: "", description: "Base domain; hosts are <domain>, api.<domain>, docs.<domain>. Profile minikube: the0.local; required for cloud." },
    { key: "version", type: "string", default: "1.14.0", description: "the0 release; the tag of the api, frontend, docs and runtime images." },
    { key: "imageRegistry", type: "string", default: "ghcr.io/alexanderwanyoike/the0", description: "Registry path of the0's own images (<registry>/api:<version>, ...)." },
    { key: "imagePullPolicy", type: "string", default: "", description: "Always | IfNotPresent | Never. Profile minikube: IfNotPresent; cloud: Always. Never is refused outside minikube." },
    { key: "botImagePullPolicy", type: "string", default: "", description: "Pull policy the bot-controller gives bot pods (--runtime-image-pull-policy). Defaults like imagePullPolicy." },
    { key: "rootAdminEmail", type: "string", default: "", description: "THE0_ADMIN_EMAIL of the root admin. Profile minikube: admin@the0.local; required for cloud." },
    { key: "existingSecret", type: "string", default: "", description: "Use this pre-existing Secret for the0's keys instead of creating <instanceName>-secrets." },
    { key: "storageClass", type: "string", default: "", description: "StorageClass of every data volume unless a data service sets its own. Profile minikube: standard; cloud: cluster default." },
    { key: "gcSchedule", type: "string", default: "*/5 * * * *", description: "Cron schedule of the gc CronJob." },
    { key: "networkPolicies", type: "boolean", default: true, description: "Default-deny NetworkPolicies that open exactly the paths the service catalog declares." },
    { key: "protectDataVolumes", type: "boolean", default: false, description: "Keep data volumes and their namespace on destroy (PVC retention Retain, namespace retained)." },
    {
        key: "apps", type: "object", default: {},
        description: "Per app-service overrides: {api|frontend|docs|botController|gc|securityAnalyzer|aiAgent: {enabled, image, replicas, resources: {requests|limits: {cpu, memory}}, autoscaling: {enabled, minReplicas, maxReplicas, targetCpuPercent}}}.",
        shape: { api: APP, frontend: APP, docs: APP, botController: APP, gc: APP, securityAnalyzer: APP, aiAgent: APP },
    },
    {
        key: "postgres", type: "object", default: {},
        description: "PostgreSQL: {mode: inCluster|external, image, database, user, storageSize, storageClass, resources, external: {host, port, sslmode}}.",
        shape: { mode: "string", image: "string", database: "string", user: "string", ...STORAGE_FIELDS, resources: RESOURCES, external: { host: "string", port: "integer", sslmode: "string" } },
    },
    {
        key: "mongo", type: "object", default: {},
        description: "MongoDB: {mode: inCluster|external, image, rootUser, database, storageSize, storageClass, resources, external: {host, port, user, authSource, options}}.",
        shape: { mode: "string", image: "string", rootUser: "string", database: "string", ...STORAGE_FIELDS, resources: RESOURCES, external: { host: "string", port: "integer", user: "string", authSource: "string", options: "string" } },
    },
    {
        key: "redis", type: "object", default: {},
        description: "Optional Redis: {enabled, mode: inCluster|external, image, storageSize, storageClass, resources, external: {host, port}}.",
        shape: { enabled: "boolean", mode: "string", image: "string", ...STORAGE_FIELDS, resources: RESOURCES, external: { host: "string", port: "integer" } },
    },
    {
        key: "objectStorage", type: "object", default: {},
        description: "Object storage: {mode: standalone|distributed|external, image, replicas, storageSize, storageClass, resources, external: {endpoint, port, useSsl}}.",
        shape: { mode: "string", image: "string", replicas: "integer", ...STORAGE_FIELDS, resources: RESOURCES, external: { endpoint: "string", port: "integer", useSsl: "boolean" } },
    },
    {
        key: "nats", type: "object", default: {},
        description: "NATS JetStream: {mode: inCluster|external, image, replicas: 1|3|5, storageSize, storageClass, memoryStoreSize, resources, auth: false (the0 1.14 cannot send NATS credentials)}.",
        shape: { mode: "string", image: "string", replicas: "integer", ...STORAGE_FIELDS, memoryStoreSize: "string", resources: RESOURCES, auth: "boolean" },
    },
    {
        key: "nodePorts", type: "object", default: {},
        description: "NodePort access like the0's external services: {enabled, api, frontend, minio, minioConsole, docs}. Profile minikube: on, 30000-30004.",
        shape: { enabled: "boolean", api: "integer", frontend: "integer", minio: "integer", minioConsole: "integer", docs: "integer" },
    },
    {
        key: "ingress", type: "object", default: {},
        description: "Ingress and TLS: {enabled, className, controller: minikubeAddon|install|existing, controllerNamespace, controllerChartVersion, certManager: install|existing, certManagerChartVersion, tlsIssuer: selfSigned|letsencrypt-staging|letsencrypt-production|none, acmeEmail, hosts: {frontend, api, docs}}.",
        shape: {
            enabled: "boolean", className: "string", controller: "string", controllerNamespace: "string", controllerChartVersion: "string",
            certManager: "string", certManagerChartVersion: "string", tlsIssuer: "string", acmeEmail: "string",
            hosts: { frontend: "string", api: "string", docs: "string" },
        },
    },
    {
        key: "ha", type: "object", default: {},
        description: "High-availability features: {disruptionBudgets, spreadAcrossNodes}. Profile cloud: both on.",
        shape: { disruptionBudgets: "boolean", spreadAcrossNodes: "boolean" },
    },
    { key: "postgresPassword", type: "string", default: "", secret: true, description: "Password of the in-cluster PostgreSQL user (or of external.user). Generated when empty." },
    { key: "mongoRootPassword", type: "string", default: "", secret: true, description: "MongoDB root password (or of external.user). Generated when empty." },
    { key: "minioAccessKey", type: "string", default: "", secret: true, description: "Object storage access key. Generated when empty; required for external object storage." },
    { key: "minioSecretKey", type: "string", default: "", secret: true, description: "Object storage secret key. Generated when empty; required for external object storage." },
    { key: "jwtSecret", type: "string", default: "", secret: true, description: "JWT signing secret shared by api and frontend. Generated when empty." },
    { key: "rootAdminPassword", type: "string", default: "", secret: true, description: "THE0_ADMIN_PASSWORD (at least 6 characters). Generated when empty." },
    { key: "redisPassword", type: "string", default: "", secret: true, description: "Redis password when redis is enabled. Generated when empty." },
    { key: "postgresUrl", type: "string", default: "", secret: true, description: "External PostgreSQL connection string, used verbatim as database-url." },
    { key: "mongoUrl", type: "string", default: "", secret: true, description: "External MongoDB connection string, used verbatim as mongo-url." },
    { key: "natsUrl", type: "string", default: "", secret: true, description: "External NATS URL(s), comma-separated nats://host:port without credentials (the0's api cannot send them); JetStream must be enabled there." },
];

