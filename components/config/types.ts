// The one typed configuration object the whole program is built from.
// `loadConfig` produces it (validated and frozen); components only ever read it.
import { AppServiceKey, Autoscaling, NodePortKey, Profile, Resources, WebService } from "../model/basics";

export const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];

export const DATA_MODES = ["inCluster", "external"] as const;
export type DataMode = (typeof DATA_MODES)[number];

export const OBJECT_STORAGE_MODES = ["standalone", "distributed", "external"] as const;
export type ObjectStorageMode = (typeof OBJECT_STORAGE_MODES)[number];

export const TLS_ISSUERS = ["selfSigned", "letsencrypt-staging", "letsencrypt-production", "none"] as const;
export type TlsIssuer = (typeof TLS_ISSUERS)[number];

/** How a cluster add-on (cert-manager, ingress controller) gets there. */
export const ADDON_MODES = ["install", "existing"] as const;
export type AddonMode = (typeof ADDON_MODES)[number];

export const INGRESS_CONTROLLER_MODES = ["minikubeAddon", "install", "existing"] as const;
export type IngressControllerMode = (typeof INGRESS_CONTROLLER_MODES)[number];




export interface AppServiceSettings {
    enabled: boolean;
    image: string;
    replicas: number;
    resources: Resources;
    autoscaling: Autoscaling;
}

/** A data service's volume. Field names match the config keys (`postgres.storageSize`, ...). */
export interface DataVolume {
    storageSize: string;
    /** "" means the cluster's default StorageClass. */
    storageClass: string;
}

export interface PostgresConfig extends DataVolume {
    mode: DataMode;
    image: string;
    database: string;
    user: string;
    resources: Resources;
    external: { host: string; port: number; sslmode: string };
}

export interface MongoConfig extends DataVolume {
    mode: DataMode;
    image: string;
    rootUser: string;
    database: string;
    resources: Resources;
    external: { host: string; port: number; user: string; authSource: string; options: string };
}

export interface RedisConfig extends DataVolume {
    enabled: boolean;
    mode: DataMode;
    image: string;
    resources: Resources;
    external: { host: string; port: number };
}

export interface ObjectStorageConfig extends DataVolume {
    mode: ObjectStorageMode;
    image: string;
    replicas: number;
    resources: Resources;
    external: { endpoint: string; port: number; useSsl: boolean };
}

export interface NatsConfig extends DataVolume {
    mode: DataMode;
    image: string;
    replicas: number;
    /** JetStream memory store; the0's THE0_BOT_LOGS stream alone needs 128 MB. */
    memoryStoreSize: string;
    resources: Resources;
    /**
     * Client authentication. Always false: the0 1.14's api connects with nats.js and passes no
     * credentials (nats.js ignores user:password in NATS_URLS), so a server that demands them
     * stops the api at start-up. Port 4222 is closed by NetworkPolicies to all but the services
     * that declare NATS. Kept as a key so that `true` is refused with the reason.
     */
    auth: boolean;
}

export type NodePortsConfig = { enabled: boolean } & Record<NodePortKey, number>;

export type IngressHosts = Record<WebService, string>;

export interface IngressConfig {
    enabled: boolean;
    className: string;
    controller: IngressControllerMode;
    /** Namespace the ingress controller runs in (NetworkPolicies admit it to the web services). */
    controllerNamespace: string;
    controllerChartVersion: string;
    certManager: AddonMode;
    certManagerChartVersion: string;
    tlsIssuer: TlsIssuer;
    acmeEmail: string;
    hosts: IngressHosts;
}

export interface HighAvailability {
    /** PodDisruptionBudgets for replicated workloads. */
    disruptionBudgets: boolean;
    /** Spread replicas across nodes (topologySpreadConstraints on kubernetes.io/hostname). */
    spreadAcrossNodes: boolean;
}

export interface PlatformConfig {
    project: string;
    stack: string;
    profile: Profile;
    kubernetes: { context: string; namespace: string };
    /** Prefix of every object name, the0's `<fullname>` (`the0` ⇒ `the0-api`). */
    instanceName: string;
    domain: string;
    version: string;
    imagePullPolicy: PullPolicy;
    botImagePullPolicy: PullPolicy;
    rootAdminEmail: string;
    /** Name of a pre-existing Secret holding the0's keys; "" creates one. */
    existingSecret: string;
    apps: Record<AppServiceKey, AppServiceSettings>;
    gcSchedule: string;
    postgres: PostgresConfig;
    mongo: MongoConfig;
    redis: RedisConfig;
    objectStorage: ObjectStorageConfig;
    nats: NatsConfig;
    nodePorts: NodePortsConfig;
    ingress: IngressConfig;
    ha: HighAvailability;
    /** Default-deny NetworkPolicies with the paths the service catalog declares. */
    networkPolicies: boolean;
    /** Keep data volumes (and the namespace holding them) when the stack is destroyed. */
    protectDataVolumes: boolean;
    /** Which secret config keys carry a value; the values themselves never enter this object. */
    secretsProvided: ReadonlySet<SecretConfigKey>;
}

/** Secret config keys (`pulumi config set --secret <key>`). */
export const SECRET_CONFIG_KEYS = [
    "postgresPassword",
    "mongoRootPassword",
    "minioAccessKey",
    "minioSecretKey",
    "jwtSecret",
    "rootAdminPassword",
    "redisPassword",
    "postgresUrl",
    "mongoUrl",
    "natsUrl",
] as const;
export type SecretConfigKey = (typeof SECRET_CONFIG_KEYS)[number];
