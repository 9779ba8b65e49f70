// The app-tier service catalog, kept as data. Names, ports, probes, env wiring, users and
// RBAC follow the0's own chart (0.9.1, app 1.14.0); the design doc's extras (security analyzer, AI agent)
// are entries that stay disabled until they are given an image.
import { AppServiceKey, Autoscaling, NodePortKey, Profile, res, Resources, WebService } from "./basics";
import { DataServiceKey } from "./dataServices";
import { SecretKey } from "./secretKeys";


/** Values derived from the validated config when the platform is built. */
export type Setting = "namespace" | "rootAdminEmail" | "nodeEnv" | "version" | "runtimeImage" | "botImagePullPolicy" | "gcSchedule";

/** Where an environment variable (or argument) gets its value. */
export type ValueSource =
    | { value: string }
    | { secret: SecretKey }
    /** In-cluster URL of another app service's port: http://<fn>-<component>:<port>. */
    | { serviceUrl: { service: AppServiceKey; port: string } }
    /** The URL users reach a web service on (NodePort in minikube, Ingress otherwise). */
    | { publicUrl: WebService }
    | { objectStorage: "host" | "port" | "hostPort" | "useSsl" }
    | { setting: Setting };

export interface EnvEntry {
    name: string;
    from: ValueSource;
    /** Only wired when that data service is enabled. */
    when?: DataServiceKey;
}

export interface PortSpec {
    name: string;
    containerPort: number;
    /** Exposed on the service's ClusterIP Service. */
    exposed: boolean;
    /** NodePort access (the0's `<fn>-<svc>-external` Service): which node port and service port. */
    nodePort?: { key: NodePortKey; servicePort: number };
}

export type ProbeAction = { httpGet: { path: string; port: string } } | { tcpSocket: { port: string } };

export interface ProbeSpec {
    action: ProbeAction;
    initialDelaySeconds: number;
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold?: number;
}

export interface RoleRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

export interface Sizing {
    replicas: number;
    resources: Resources;
    autoscaling: Autoscaling;
}

export type Dependency = { data: DataServiceKey } | { app: AppServiceKey; port: string };

export interface CatalogEntry {
    key: AppServiceKey;
    /** app.kubernetes.io/component and the name suffix: <fn>-<component>. */
    component: string;
    workload: "Deployment" | "CronJob";
    /** Image name under imageRegistry (tagged with the0's version); undefined = must be configured. */
    defaultImage?: "api" | "frontend" | "docs" | "runtime";
    defaultEnabled: boolean;
    command?: string[];
    args?: Array<{ flag: string; from: ValueSource }>;
    ports: PortSpec[];
    probes?: { liveness: ProbeSpec; readiness: ProbeSpec };
    env: EnvEntry[];
    /** Paths the image writes to; each gets an emptyDir under the read-only root filesystem. */
    writablePaths: string[];
    user: { uid: number; gid: number; fsGroup: number };
    dependsOn: Dependency[];
    sizing: Record<Profile, Sizing>;
    /** Buckets it reads that the0 creates only lazily; an init container creates them first (components/app/buckets.ts). */
    ensureBuckets?: string[];
    /** Must run exactly one replica (the bot-controller has no leader election). */
    singleton?: boolean;
    /** Namespaced Role for the service's own ServiceAccount. */
    rbac?: RoleRule[];
    /** Served on an Ingress host. */
    ingressHost?: WebService;
    /** Alert when no replica is available (components/monitoring/alerts.ts): how bad, and what users lose. */
    alertWhenDown?: { severity: "critical" | "warning"; impact: string };
    cron?: {
        /** The schedule, from a config setting (the user may change it). */
        schedule: { setting: Setting };
        concurrencyPolicy: "Forbid";
        successfulJobsHistoryLimit: number;
        failedJobsHistoryLimit: number;
        ttlSecondsAfterFinished: number;
        restartPolicy: "OnFailure";
    };
}

const NO_AUTOSCALING: Autoscaling = { enabled: false, minReplicas: 1, maxReplicas: 1, targetCpuPercent: 70 };

function sameSizing(replicas: number, resources: Resources): Record<Profile, Sizing> {
    return {
        minikube: { replicas, resources, autoscaling: NO_AUTOSCALING },
        cloud: { replicas, resources, autoscaling: NO_AUTOSCALING },
    };
}

const http = (path: string, port: string): ProbeAction => ({ httpGet: { path, port } });
const probe = (action: ProbeAction, initialDelaySeconds: number, periodSeconds: number, timeoutSeconds: number): ProbeSpec =>
    ({ action, initialDelaySeconds, periodSeconds, timeoutSeconds });

const UID_1000 = { uid: 1000, gid: 1000, fsGroup: 1000 };

const MINIO_CLIENT_ENV: EnvEntry[] = [
    { name: "MINIO_USE_SSL", from: { objectStorage: "useSsl" } },
    { name: "MINIO_ACCESS_KEY", from: { secret: "minio-access-key" } },
    { name: "MINIO_SECRET_KEY", from: { secret: "minio-secret-key" } },
];

const ALL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

export const CATALOG: readonly CatalogEntry[] = [
    {
        key: "api",
        component: "api",
        workload: "Deployment",
        alertWhenDown: { severity: "critical", impact: "users cannot sign in, deploy or manage bots, and the bot-controller cannot read bot definitions" },
        defaultImage: "api",
        defaultEnabled: true,
        ports: [{ name: "http", containerPort: 3000, exposed: true, nodePort: { key: "api", servicePort: 3000 } }],
        probes: {
            liveness: probe(http("/health", "http"), 60, 30, 10),
            readiness: probe(http("/health/ready", "http"), 30, 10, 5),
        },
        env: [
            { name: "DATABASE_URL", from: { secret: "database-url" } },
            { name: "NATS_URLS", from: { secret: "nats-url" } },
            { name: "MINIO_ENDPOINT", from: { objectStorage: "host" } },
            { name: "MINIO_PORT", from: { objectStorage: "port" } },
            ...MINIO_CLIENT_ENV,
            { name: "JWT_SECRET", from: { secret: "jwt-secret" } },
            { name: "DATABASE_TYPE", from: { value: "postgres" } },
            { name: "CUSTOM_BOTS_BUCKET", from: { value: "custom-bots" } },
            { name: "LOG_BUCKET", from: { value: "bot-logs" } },
            { name: "BACKTEST_BUCKET", from: { value: "backtests" } },
            { name: "NODE_ENV", from: { setting: "nodeEnv" } },
            { name: "PORT", from: { value: "3000" } },
            { name: "FRONTEND_URL", from: { publicUrl: "frontend" } },
            { name: "JWT_EXPIRES_IN", from: { value: "7d" } },
            { name: "RUNTIME_QUERY_URL", from: { serviceUrl: { service: "botController", port: "query" } } },
            { name: "DB_POOL_MAX", from: { value: "10" } },
            { name: "DB_POOL_IDLE_TIMEOUT", from: { value: "20" } },
            { name: "DB_POOL_CONNECT_TIMEOUT", from: { value: "10" } },
            { name: "DB_POOL_MAX_LIFETIME", from: { value: "1800" } },
            { name: "DB_AUTO_SELECT_FAMILY", from: { value: "true" } },
            // Without it /health/ready checks only NATS and MinIO (api/src/health/health.service.ts), so a pod
            // that has lost PostgreSQL stays in the Service and fails every request.
            { name: "HEALTH_CHECK_DATABASE", from: { value: "true" } },
            { name: "THE0_ADMIN_EMAIL", from: { setting: "rootAdminEmail" } },
            { name: "THE0_ADMIN_PASSWORD", from: { secret: "admin-password" } },
        ],
        writablePaths: ["/app/uploads", "/tmp"],
        user: UID_1000,
        dependsOn: [{ data: "postgres" }, { data: "nats" }, { data: "objectStorage" }, { app: "botController", port: "query" }],
        sizing: {
            minikube: { replicas: 1, resources: res("200m", "512Mi", "1000m", "1Gi"), autoscaling: NO_AUTOSCALING },
            cloud: {
                replicas: 2,
                resources: res("200m", "512Mi", "1000m", "1Gi"),
                autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCpuPercent: 70 },
            },
        },
        ingressHost: "api",
    },
    {
        key: "frontend",
        component: "frontend",
        workload: "Deployment",
        alertWhenDown: { severity: "critical", impact: "the web app is down for every user" },
        defaultImage: "frontend",
        defaultEnabled: true,
        ports: [{ name: "http", containerPort: 3000, exposed: true, nodePort: { key: "frontend", servicePort: 3001 } }],
        probes: {
            liveness: probe(http("/", "http"), 30, 10, 5),
            readiness: probe(http("/", "http"), 5, 5, 3),
        },
        env: [
            { name: "BOT_API_URL", from: { serviceUrl: { service: "api", port: "http" } } },
            { name: "JWT_SECRET", from: { secret: "jwt-secret" } },
            { name: "NEXT_PUBLIC_APP_NAME", from: { value: "the0" } },
            { name: "NEXT_PUBLIC_APP_VERSION", from: { setting: "version" } },
            { name: "NEXT_BASE_URL", from: { publicUrl: "frontend" } },
            { name: "NODE_ENV", from: { setting: "nodeEnv" } },
            { name: "PORT", from: { value: "3000" } },
            { name: "HOSTNAME", from: { value: "0.0.0.0" } },
        ],
        writablePaths: ["/tmp"],
        user: UID_1000,
        dependsOn: [{ app: "api", port: "http" }],
        sizing: {
            minikube: { replicas: 1, resources: res("100m", "256Mi", "500m", "512Mi"), autoscaling: NO_AUTOSCALING },
            cloud: {
                replicas: 2,
                resources: res("100m", "256Mi", "500m", "512Mi"),
                autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
            },
        },
        ingressHost: "frontend",
    },
    {
        key: "docs",
        component: "docs",
        workload: "Deployment",
        defaultImage: "docs",
        defaultEnabled: true,
        ports: [{ name: "http", containerPort: 8080, exposed: true, nodePort: { key: "docs", servicePort: 3002 } }],
        probes: {
            liveness: probe(http("/health", "http"), 10, 10, 5),
            readiness: probe(http("/health", "http"), 5, 5, 3),
        },
        env: [],
        writablePaths: ["/var/cache/nginx", "/var/run", "/tmp"],
        user: { uid: 65532, gid: 65532, fsGroup: 65532 },
        dependsOn: [],
        sizing: {
            minikube: { replicas: 1, resources: res("50m", "128Mi", "200m", "256Mi"), autoscaling: NO_AUTOSCALING },
            cloud: { replicas: 2, resources: res("50m", "128Mi", "200m", "256Mi"), autoscaling: NO_AUTOSCALING },
        },
        ingressHost: "docs",
    },
    {
        key: "botController",
        component: "bot-controller",
        workload: "Deployment",
        alertWhenDown: { severity: "critical", impact: "no bot is started, stopped or rescheduled, and bot queries fail; running bots keep running" },
        defaultImage: "runtime",
        defaultEnabled: true,
        command: ["/app/runtime", "controller"],
        args: [
            { flag: "--namespace", from: { setting: "namespace" } },
            { flag: "--reconcile-interval", from: { value: "30s" } },
            { flag: "--minio-endpoint", from: { objectStorage: "hostPort" } },
            { flag: "--minio-bucket", from: { value: "custom-bots" } },
            { flag: "--runtime-image", from: { setting: "runtimeImage" } },
            { flag: "--runtime-image-pull-policy", from: { setting: "botImagePullPolicy" } },
        ],
        ports: [
            { name: "health", containerPort: 8080, exposed: false },
            { name: "query", containerPort: 9477, exposed: true },
        ],
        probes: {
            liveness: probe(http("/healthz", "health"), 30, 30, 10),
            readiness: probe(http("/healthz", "health"), 10, 10, 5),
        },
        env: [
            { name: "NAMESPACE", from: { setting: "namespace" } },
            { name: "MINIO_ENDPOINT", from: { objectStorage: "hostPort" } },
            { name: "MINIO_BUCKET", from: { value: "custom-bots" } },
            { name: "MONGO_URI", from: { secret: "mongo-url" } },
            { name: "NATS_URL", from: { secret: "nats-url" } },
            ...MINIO_CLIENT_ENV,
        ],
        writablePaths: ["/tmp"],
        user: UID_1000,
        dependsOn: [{ data: "mongo" }, { data: "nats" }, { data: "objectStorage" }],
        sizing: sameSizing(1, res("100m", "256Mi", "500m", "512Mi")),
        singleton: true,
        rbac: [
            { apiGroups: [""], resources: ["pods"], verbs: ALL_VERBS },
            { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list"] },
            { apiGroups: ["batch"], resources: ["cronjobs"], verbs: ALL_VERBS },
            { apiGroups: ["batch"], resources: ["jobs"], verbs: ALL_VERBS },
            { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
            { apiGroups: [""], resources: ["configmaps"], verbs: ALL_VERBS },
            { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ALL_VERBS },
        ],
    },
    {
        key: "gc",
        component: "gc",
        workload: "CronJob",
        defaultImage: "runtime",
        defaultEnabled: true,
        command: ["/app/runtime", "gc"],
        ports: [],
        env: [
            { name: "MONGO_URI", from: { secret: "mongo-url" } },
            { name: "MINIO_ENDPOINT", from: { objectStorage: "hostPort" } },
            ...MINIO_CLIENT_ENV,
        ],
        writablePaths: ["/tmp"],
        user: UID_1000,
        dependsOn: [{ data: "mongo" }, { data: "objectStorage" }],
        sizing: sameSizing(1, res("50m", "64Mi", "200m", "128Mi")),
        // the0's gc lists these and fails while they do not exist; the runtime makes them on first use.
        ensureBuckets: ["bot-logs", "bot-state"],
        cron: {
            schedule: { setting: "gcSchedule" },
            concurrencyPolicy: "Forbid",
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            ttlSecondsAfterFinished: 300,
            restartPolicy: "OnFailure",
        },
    },
    {
        // Design-doc extra ("0vers33r"); removed from the0 in Dec 2025. Off until given an image.
        key: "securityAnalyzer",
        component: "security-analyzer",
        workload: "Deployment",
        defaultEnabled: false,
        ports: [{ name: "http", containerPort: 8080, exposed: true }],
        probes: {
            liveness: probe({ tcpSocket: { port: "http" } }, 60, 30, 10),
            readiness: probe({ tcpSocket: { port: "http" } }, 30, 10, 5),
        },
        env: [
            { name: "DATABASE_URL", from: { secret: "database-url" } },
            { name: "NATS_URL", from: { secret: "nats-url" } },
            { name: "MINIO_ENDPOINT", from: { objectStorage: "hostPort" } },
            ...MINIO_CLIENT_ENV,
        ],
        writablePaths: ["/tmp"],
        user: UID_1000,
        dependsOn: [{ data: "postgres" }, { data: "nats" }, { data: "objectStorage" }],
        sizing: {
            minikube: { replicas: 1, resources: res("100m", "256Mi", "500m", "512Mi"), autoscaling: NO_AUTOSCALING },
            cloud: { replicas: 2, resources: res("100m", "256Mi", "500m", "512Mi"), autoscaling: NO_AUTOSCALING },
        },
    },
    {
        // Design-doc extra ("the0-ai"); removed from the0 in Dec 2025. Off until given an image.
        key: "aiAgent",
        component: "ai-agent",
        workload: "Deployment",
        defaultEnabled: false,
        ports: [{ name: "http", containerPort: 8000, exposed: true }],
        probes: {
            liveness: probe(http("/health", "http"), 60, 30, 10),
            readiness: probe(http("/health", "http"), 30, 10, 5),
        },
        env: [
            { name: "DATABASE_URL", from: { secret: "database-url" } },
            { name: "MINIO_ENDPOINT", from: { objectStorage: "hostPort" } },
            ...MINIO_CLIENT_ENV,
            { name: "DOCS_ENDPOINT", from: { serviceUrl: { service: "docs", port: "http" } } },
            { name: "REDIS_URL", from: { secret: "redis-url" }, when: "redis" },
        ],
        writablePaths: ["/tmp"],
        user: UID_1000,
        dependsOn: [{ data: "postgres" }, { data: "objectStorage" }, { data: "redis" }, { app: "docs", port: "http" }],
        sizing: {
            minikube: { replicas: 1, resources: res("200m", "512Mi", "1000m", "1Gi"), autoscaling: NO_AUTOSCALING },
            cloud: { replicas: 2, resources: res("200m", "512Mi", "1000m", "1Gi"), autoscaling: NO_AUTOSCALING },
        },
    },
];

export function catalogEntry(key: AppServiceKey): CatalogEntry {
    const entry = CATALOG.find((e) => e.key === key);
    if (!entry) throw new Error(`no catalog entry for ${key}`);
    return entry;
}
