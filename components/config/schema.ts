// Every project config key, declared once: its type or shape, its description, Pulumi.yaml's default
// and, for a key the profile decides, its default per profile. Pulumi.yaml's `config:` block, the
// parser, the merge (resolve.ts), the resolved config's type (types.ts) and the docs table all come
// from these entries; tests/program.test.ts compares Pulumi.yaml with them. The rules that check a
// key's value are in rules/ and each entry names its own. Keys this project no longer reads are in RETIRED.
import type { AddonsOutputs } from "./addons";
import type { Obj } from "./parse";
import type { Problems } from "./problems";
import type { PlatformConfig } from "./types";
import { checkApps } from "./rules/apps";
import { checkBackups } from "./rules/backups";
import { ValidationContext } from "./rules/common";
import { checkMongo, checkNats, checkObjectStorage, checkPostgres, checkRedis } from "./rules/data";
import { checkIngress, checkNodePorts } from "./rules/exposure";
import { checkMonitoring } from "./rules/monitoring";
import { AppServiceKey, Profile, res } from "../model/basics";
import { CATALOG } from "../model/catalog";
import { CNPG_OPERATOR_NAMESPACE, DATA_IMAGES, ENVOY_GATEWAY_CLASS, ENVOY_GATEWAY_NAMESPACE, EXPORTER_IMAGES, THE0_VERSION } from "./pins";
import { secretSpecs } from "./secretRegistry";
import {
    APPS_SHAPE,
    BACKUPS_SHAPE,
    HA_SHAPE,
    INGRESS_SHAPE,
    Infer,
    MONGO_SHAPE,
    MONITORING_SHAPE,
    NATS_SHAPE,
    NODE_PORTS_SHAPE,
    OBJECT_STORAGE_SHAPE,
    POSTGRES_SHAPE,
    REDIS_SHAPE,
    Shape,
} from "./shapes";

export type ScalarType = "string" | "integer" | "boolean";

/** A key as Pulumi.yaml, the parser and the docs see it. */
export interface ConfigKeySpec {
    key: string;
    type: ScalarType | "object";
    description: string;
    /** Default written into Pulumi.yaml; "" / {} mean "take it from the profile". */
    default: string | number | boolean | Record<string, never>;
    /** A scalar the profile decides when the stack does not set it. */
    profileDefaults?: Readonly<Record<Profile, string>>;
    secret?: boolean;
    shape?: Shape;
}

/** What an object key's defaults may follow: the profile and the stack's own top-level keys. */
export interface DefaultsContext {
    profile: Profile;
    /** What the cluster's add-ons stack exports (addonsStack), if it is read. */
    addons: AddonsOutputs;
    /** The top-level storageClass every data volume inherits. */
    storageClass: string;
    domain: string;
    /** Registry path and release of the0's own images. */
    registry: string;
    version: string;
}

/** An object key: its shape (the type of its value is inferred from it) and its value before the stack's override. */
export interface ObjectKeySpec<K extends string, S extends Shape> {
    key: K;
    shape: S;
    description: string;
    defaults: (ctx: DefaultsContext) => Infer<S>;
    /** After the stack's override is merged in: what follows from what the stack set. */
    settle?: (merged: Infer<S>, override: Obj | undefined) => Infer<S>;
    /** The rules of this key's value (rules/), run in the order of the keys. */
    check?: (c: PlatformConfig, problems: Problems, ctx: ValidationContext) => void;
}

function objectKey<K extends string, S extends Shape>(spec: ObjectKeySpec<K, S>): ObjectKeySpec<K, S> {
    return spec;
}

const SCALAR_KEYS: readonly ConfigKeySpec[] = [
    { key: "profile", type: "string", default: "minikube", description: "Sizing profile: minikube | cloud. Supplies every default that the stack does not set." },
    { key: "addonsStack", type: "string", default: "", description: "The cluster's add-ons stack (cluster-addons project), e.g. organization/the0-cluster-addons/cloud-eu1: its outputs become the defaults of ingress.gateway.className, ingress.controllerNamespace (mode gateway), monitoring.namespace, monitoring.selectorLabel and postgres.cloudnativePg.operatorNamespace. Empty reads none." },
    { key: "kubeContext", type: "string", default: "", description: "kubeconfig context to deploy to; empty uses the current context." },
    { key: "namespace", type: "string", default: "the0", description: "Namespace for every the0 object (DNS-1123 label)." },
    { key: "instanceName", type: "string", default: "the0", description: "Prefix of every object name, like the0's Helm fullname (the0 => the0-api)." },
    { key: "domain", type: "string", default: "", profileDefaults: { minikube: "the0.local", cloud: "" }, description: "Base domain; hosts are <domain>, api.<domain>, docs.<domain>. Profile minikube: the0.local; required for cloud." },
    { key: "version", type: "string", default: THE0_VERSION, description: "the0 release; the tag of the api, frontend, docs and runtime images." },
    { key: "imageRegistry", type: "string", default: "ghcr.io/alexanderwanyoike/the0", description: "Registry path of the0's own images (<registry>/api:<version>, ...)." },
    { key: "imagePullPolicy", type: "string", default: "", profileDefaults: { minikube: "IfNotPresent", cloud: "Always" }, description: "Always | IfNotPresent | Never. Profile minikube: IfNotPresent; cloud: Always. Never is refused outside minikube." },
    { key: "botImagePullPolicy", type: "string", default: "", description: "Pull policy the bot-controller gives bot pods (--runtime-image-pull-policy). Defaults like imagePullPolicy." },
    { key: "rootAdminEmail", type: "string", default: "", profileDefaults: { minikube: "admin@the0.local", cloud: "" }, description: "THE0_ADMIN_EMAIL of the root admin. Profile minikube: admin@the0.local; required for cloud." },
    { key: "existingSecret", type: "string", default: "", description: "Use this pre-existing Secret for the0's keys instead of creating <instanceName>-secrets." },
    { key: "storageClass", type: "string", default: "", profileDefaults: { minikube: "standard", cloud: "" }, description: "StorageClass of every data volume unless a data service sets its own. Profile minikube: standard; cloud: cluster default." },
    { key: "gcSchedule", type: "string", default: "*/5 * * * *", description: "Cron schedule of the gc CronJob." },
    { key: "networkPolicies", type: "boolean", default: true, description: "Default-deny NetworkPolicies that open exactly the paths the service catalog declares." },
    { key: "protectDataVolumes", type: "boolean", default: false, description: "Keep data volumes and their namespace on destroy (PVC retention Retain, namespace retained)." },
];

const EXTERNAL_POSTGRES = { host: "", port: 5432, sslmode: "require" } as const;
const EXTERNAL_MONGO = { host: "", port: 27017, user: "root", authSource: "admin", options: "" };
const EXTERNAL_REDIS = { host: "", port: 6379 };
const EXTERNAL_OBJECT_STORAGE = { endpoint: "", port: 443, useSsl: true };

/** PostgreSQL's and MongoDB's volume and resources: a laptop's, or a small production cluster's. */
function databaseSize(profile: Profile) {
    return profile === "cloud" ? { storageSize: "50Gi", resources: res("500m", "1Gi", "2", "4Gi") } : { storageSize: "10Gi", resources: res("100m", "256Mi", "500m", "512Mi") };
}

export const NODE_PORTS = { enabled: true, api: 30000, frontend: 30001, minio: 30002, minioConsole: 30003, docs: 30004 };

/** Daily at 02:17 UTC (off the hour, when many clusters run their own jobs); a week of backups kept. */
const BACKUPS = {
    enabled: false,
    schedule: "17 2 * * *",
    retention: { count: 7, maxAgeDays: 0 },
    target: { kind: "inCluster" as const, endpoint: "", bucket: "the0-backups", prefix: "", existingSecret: "" },
    resources: res("100m", "128Mi", "1", "1Gi"),
    deadlineSeconds: 3600,
};

/**
 * Metrics sources for the Prometheus of kube-prometheus-stack (its default release name). MongoDB's
 * exporter is off: it is not proven against a real mongod here, and a failing sidecar would make the
 * database's pod unready.
 */
const MONITORING: Infer<typeof MONITORING_SHAPE> = {
    enabled: false,
    stack: "existing",
    namespace: "monitoring",
    selectorLabel: "release=kube-prometheus-stack",
    exporters: { nats: true, objectStorage: true, postgres: true, mongo: false },
    images: { ...EXPORTER_IMAGES },
    resources: res("10m", "32Mi", "100m", "64Mi"),
    dashboards: true,
};

/** Exposure defaults both profiles start from. */
const INGRESS = {
    enabled: true,
    mode: "ingress" as const,
    className: "nginx",
    controller: "existing" as const,
    controllerKind: "other" as const,
    controllerNamespace: "",
    annotations: {},
    hostAnnotations: { frontend: {}, api: {}, docs: {} },
    gateway: { create: true, className: ENVOY_GATEWAY_CLASS, name: "", namespace: "", sectionName: "" },
    certManager: "existing" as const,
    tlsIssuer: "none" as const,
    clusterIssuer: "",
    acmeEmail: "",
    // the0's custom-bot upload takes up to 200 MB; five minutes covers it at about 5 Mbit/s.
    requestTimeoutSeconds: 300,
};

// Sizes: minikube for `minikube start --cpus=4 --memory=8g` (the0's own chart values where it has them);
// cloud replicated and spread, for a small production cluster.
export const OBJECT_KEYS = [
    objectKey({
        key: "apps", shape: APPS_SHAPE,
        check: checkApps,
        description: "Per app-service overrides: {api|frontend|docs|botController|gc|securityAnalyzer|aiAgent: {enabled, image, replicas, resources: {requests|limits: {cpu, memory}}, autoscaling: {enabled, minReplicas, maxReplicas, targetCpuPercent}}}.",
        // Each service's image, switch and sizing come from its catalog entry.
        defaults: ({ profile, registry, version }) => Object.fromEntries(CATALOG.map((entry) => [entry.key, {
            enabled: entry.defaultEnabled,
            image: entry.defaultImage ? `${registry}/${entry.defaultImage}:${version}` : "",
            ...entry.sizing[profile],
        }])) as Infer<typeof APPS_SHAPE>,
        // An extra without a default image turns on when it is given one.
        settle: (apps, override) => {
            for (const entry of CATALOG) {
                const own = override?.[entry.key] as Obj | undefined;
                if (!entry.defaultImage && own?.enabled === undefined && apps[entry.key as AppServiceKey].image !== "") apps[entry.key as AppServiceKey].enabled = true;
            }
            return apps;
        },
    }),
    objectKey({
        key: "postgres", shape: POSTGRES_SHAPE,
        check: checkPostgres,
        description: "PostgreSQL: {mode: inCluster|external|cloudnative-pg, image, database, user, storageSize, storageClass, resources, external: {host, port, sslmode}, cloudnativePg: {instances, operatorNamespace}}. Mode cloudnative-pg declares a CloudNativePG Cluster (the operator from the cluster-addons project: cloudnativePg.enabled); its image defaults to CloudNativePG's PostgreSQL image; instances, profile minikube: 1, cloud: 3.",
        defaults: ({ profile, storageClass, addons }) => ({
            mode: "inCluster" as const, database: "the0_oss", user: "the0",
            ...databaseSize(profile),
            external: EXTERNAL_POSTGRES, image: DATA_IMAGES.postgres, storageClass,
            // One primary and two streaming replicas survive a node's loss; a laptop runs one.
            cloudnativePg: { instances: profile === "cloud" ? 3 : 1, operatorNamespace: addons.cnpgOperatorNamespace ?? CNPG_OPERATOR_NAMESPACE },
        }),
        // CloudNativePG runs its own PostgreSQL images (the official ones lack its instance manager's tools).
        settle: (pg, override) => {
            if (pg.mode === "cloudnative-pg" && override?.image === undefined) pg.image = DATA_IMAGES.cnpgPostgres;
            return pg;
        },
    }),
    objectKey({
        key: "mongo", shape: MONGO_SHAPE,
        check: checkMongo,
        description: "MongoDB: {mode: inCluster|external, image, rootUser, database, storageSize, storageClass, resources, external: {host, port, user, authSource, options}}.",
        defaults: ({ profile, storageClass }) => ({
            mode: "inCluster" as const, rootUser: "root", database: "bot_runner",
            ...databaseSize(profile),
            external: EXTERNAL_MONGO, image: DATA_IMAGES.mongo, storageClass,
        }),
    }),
    objectKey({
        key: "redis", shape: REDIS_SHAPE,
        check: checkRedis,
        description: "Optional Redis: {enabled, mode: inCluster|external, image, storageSize, storageClass, resources, external: {host, port}}.",
        defaults: ({ profile, storageClass }) => ({
            enabled: false, mode: "inCluster" as const,
            ...(profile === "cloud" ? { storageSize: "8Gi", resources: res("100m", "256Mi", "500m", "512Mi") } : { storageSize: "1Gi", resources: res("50m", "64Mi", "200m", "256Mi") }),
            external: EXTERNAL_REDIS, image: DATA_IMAGES.redis, storageClass,
        }),
    }),
    objectKey({
        key: "objectStorage", shape: OBJECT_STORAGE_SHAPE,
        check: checkObjectStorage,
        description: "Object storage: {mode: standalone|distributed|external, image, replicas, storageSize, storageClass, resources, external: {endpoint, port, useSsl}}. Profile cloud: external (an S3-compatible store with buckets per account: set external.endpoint and the secrets minioAccessKey, minioSecretKey; mode distributed runs MinIO x4 in the cluster instead); minikube: standalone MinIO. MinIO's community images no longer get security fixes.",
        // cloud: a store someone patches, outside the cluster (MinIO publishes no more community images,
        // so the in-cluster pin cannot take security fixes); the sizes apply when the stack picks distributed.
        defaults: ({ profile, storageClass }) => ({
            ...(profile === "cloud"
                ? { mode: "external" as const, replicas: 4, storageSize: "50Gi", resources: res("250m", "512Mi", "1", "2Gi") }
                : { mode: "standalone" as const, replicas: 1, storageSize: "20Gi", resources: res("100m", "256Mi", "500m", "512Mi") }),
            external: EXTERNAL_OBJECT_STORAGE, image: DATA_IMAGES.minio, storageClass,
        }),
        // Changing the mode alone picks that mode's natural size.
        settle: (os, override) => {
            if (override?.replicas === undefined) {
                if (os.mode === "standalone") os.replicas = 1;
                if (os.mode === "distributed") os.replicas = Math.max(4, os.replicas);
            }
            return os;
        },
    }),
    objectKey({
        key: "nats", shape: NATS_SHAPE,
        check: checkNats,
        description: "NATS JetStream: {mode: inCluster|external, image, replicas: 1|3|5, storageSize, storageClass, memoryStoreSize, resources, auth: false (the0 1.14 cannot send NATS credentials)}.",
        defaults: ({ profile, storageClass }) => ({
            mode: "inCluster" as const,
            ...(profile === "cloud"
                ? { replicas: 3, storageSize: "10Gi", memoryStoreSize: "512Mi", resources: res("250m", "1Gi", "1", "1Gi") }
                : { replicas: 1, storageSize: "5Gi", memoryStoreSize: "256Mi", resources: res("50m", "128Mi", "500m", "512Mi") }),
            auth: false, image: DATA_IMAGES.nats, storageClass,
        }),
    }),
    objectKey({
        key: "nodePorts", shape: NODE_PORTS_SHAPE,
        check: checkNodePorts,
        description: "NodePort access like the0's external services: {enabled, api, frontend, minio, minioConsole, docs}. Profile minikube: on, 30000-30004.",
        defaults: ({ profile }) => ({ ...NODE_PORTS, enabled: profile === "minikube" }),
    }),
    objectKey({
        key: "ingress", shape: INGRESS_SHAPE,
        check: checkIngress,
        description: "How web traffic gets in, and TLS: {enabled, mode: ingress|gateway, className (IngressClass), controller: minikubeAddon|existing, controllerKind: ingress-nginx|nginx|traefik|haproxy|other (sets body size and timeouts for uploads), controllerNamespace, annotations, hostAnnotations: {frontend, api, docs}, gateway: {create, className (GatewayClass), name, namespace, sectionName}, certManager: existing, tlsIssuer: selfSigned|letsencrypt-staging|letsencrypt-production|clusterIssuer|none, clusterIssuer, acmeEmail, requestTimeoutSeconds, hosts: {frontend, api, docs}}. Profile minikube: Ingress on the ingress addon, self-signed CA; cloud: a Gateway for the cluster-addons project's Envoy Gateway (GatewayClass eg), Let's Encrypt staging. cert-manager and controllers come from the cluster-addons project.",
        defaults: ({ profile, domain, addons }) => ({
            ...INGRESS,
            gateway: { ...INGRESS.gateway, className: addons.gatewayClassName ?? INGRESS.gateway.className },
            ...(profile === "cloud"
                // Gateway API: a Gateway of this stack's own for the cluster-addons project's Envoy Gateway class.
                ? { mode: "gateway" as const, controller: "existing" as const, controllerKind: "other" as const, controllerNamespace: addons.gatewayNamespace ?? ENVOY_GATEWAY_NAMESPACE, tlsIssuer: "letsencrypt-staging" as const }
                // Minikube's ingress addon (ingress-nginx), with a self-signed CA; cert-manager from the cluster-addons dev stack.
                : { mode: "ingress" as const, controller: "minikubeAddon" as const, controllerKind: "ingress-nginx" as const, controllerNamespace: "ingress-nginx", tlsIssuer: "selfSigned" as const }),
            hosts: { frontend: domain, api: domain ? `api.${domain}` : "", docs: domain ? `docs.${domain}` : "" },
        }),
    }),
    objectKey({
        key: "ha", shape: HA_SHAPE,
        description: "High-availability features: {disruptionBudgets, spreadAcrossNodes}. Profile cloud: both on.",
        // PDBs appear only for workloads scaled above one replica; one node (minikube) cannot spread.
        defaults: ({ profile }) => ({ disruptionBudgets: true, spreadAcrossNodes: profile === "cloud" }),
    }),
    objectKey({
        key: "backups", shape: BACKUPS_SHAPE,
        check: checkBackups,
        description: "Scheduled backups of the in-cluster PostgreSQL, MongoDB and object storage: {enabled, schedule (cron, UTC), retention: {count, maxAgeDays}, target: {kind: s3|inCluster, endpoint, bucket, prefix, existingSecret}, clientImage (the MinIO client image; the gc CronJob also creates its buckets with it), resources, deadlineSeconds}. Profile cloud: on (target s3, required); minikube: off.",
        // minikube: off (a bucket in the in-cluster MinIO is enough for trying it); cloud: on, to a store
        // outside the cluster whose endpoint and bucket are the stack's to set.
        defaults: ({ profile }) => profile === "cloud"
            ? { ...BACKUPS, enabled: true, retention: { count: 14, maxAgeDays: 30 }, target: { ...BACKUPS.target, kind: "s3" as const, bucket: "" }, clientImage: DATA_IMAGES.mc }
            : { ...BACKUPS, clientImage: DATA_IMAGES.mc },
    }),
    objectKey({
        key: "monitoring", shape: MONITORING_SHAPE,
        check: checkMonitoring,
        description: "Metrics, alerts and dashboards for the cluster's Prometheus Operator (the cluster-addons project installs kube-prometheus-stack): {enabled, stack: existing, namespace, selectorLabel (key=value), exporters: {nats, objectStorage, postgres, mongo}, images: {natsExporter, postgresExporter, mongoExporter}, resources, dashboards}. Profile cloud: on; minikube: off.",
        // minikube: off; cloud: on, for the Prometheus Operator the cluster has (the cluster-addons project's, or the provider's).
        defaults: ({ profile, addons }) => {
            const cluster = { ...MONITORING, namespace: addons.monitoringNamespace ?? MONITORING.namespace, selectorLabel: addons.monitoringSelectorLabel ?? MONITORING.selectorLabel };
            return profile === "cloud" ? { ...cluster, enabled: true } : cluster;
        },
    }),
] as const;

/** The resolved value of every object key, typed by its shape. */
export type ObjectKeyValues = { [S in (typeof OBJECT_KEYS)[number] as S["key"]]: Infer<S["shape"]> };

export const CONFIG_SCHEMA: readonly ConfigKeySpec[] = [
    ...SCALAR_KEYS,
    ...OBJECT_KEYS.map((s): ConfigKeySpec => ({ key: s.key, type: "object", default: {}, description: s.description, shape: s.shape })),
    // The secret keys, from their registry.
    ...secretSpecs().map((s): ConfigKeySpec => ({ key: s.key, type: "string", default: "", secret: true, description: s.description })),
];

/** A scalar's default for this profile (its Pulumi.yaml default when the profile does not decide it). */
export function scalarDefault(key: string, profile: Profile): string {
    const spec = SCALAR_KEYS.find((s) => s.key === key);
    if (!spec) throw new Error(`${key} is not a scalar config key`);
    return spec.profileDefaults?.[profile] ?? String(spec.default);
}

/**
 * Top-level values of the0's own Helm chart (0.9.1) that people carry over from a values file, and
 * the key to use here instead. Their values are never shown (the chart keeps passwords in them).
 */
export const CHART_VALUES: Readonly<Record<string, string>> = {
    global: "its imagePullPolicy, storageClass and existingSecret are top-level keys here (imagePullPolicy, storageClass, existingSecret)",
    postgresql: "use postgres ({mode, database, user, storageSize, resources, external}); the password is the secret postgresPassword",
    mongodb: "use mongo ({mode, rootUser, database, storageSize, resources, external}); the password is the secret mongoRootPassword",
    minio: "use objectStorage ({mode, replicas, storageSize, resources, external}); the keys are the secrets minioAccessKey and minioSecretKey",
    the0Api: "use apps.api ({enabled, image, replicas, resources, autoscaling})",
    the0Frontend: "use apps.frontend ({enabled, image, replicas, resources, autoscaling})",
    the0Docs: "use apps.docs ({enabled, image, replicas, resources, autoscaling})",
    botController: "use apps.botController ({enabled, image, resources}) and botImagePullPolicy",
    gc: "use apps.gc ({enabled, image, resources}) and gcSchedule",
    service: "Services are always ClusterIP here; reach the0 through nodePorts or ingress",
    externalServices: "use nodePorts ({enabled, api, frontend, minio, minioConsole, docs})",
    minikube: "use profile minikube (and nodePorts)",
};

/** Keys and fields this project no longer reads, with what to do instead. Their values are never shown. */
export const RETIRED: Readonly<Record<string, string>> = {
    natsPassword: "is no longer used: the0 1.14's api cannot send NATS credentials, so NATS runs without client auth behind NetworkPolicies; remove it with `pulumi config rm natsPassword`",
    "ingress.controllerChartVersion": "is no longer read: this stack installs no ingress controller (ingress-nginx was retired in March 2026); install a maintained one with the cluster-addons project and remove this field",
    "monitoring.chartVersion": "is no longer read: kube-prometheus-stack is installed by the cluster-addons project (its monitoring.chartVersion); remove this field",
    "ingress.certManagerChartVersion": "is no longer read: cert-manager is cluster-wide and is installed by the cluster-addons project (its certManager.chartVersion); remove this field",
};
