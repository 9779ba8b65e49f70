// Every project config key, kept as data. Pulumi.yaml's `config:` block must say the same
// (tests/program.test.ts compares them), and the loader reads exactly these keys. Object keys take
// their shape from shapes.ts, from which the config types are inferred.

import { THE0_VERSION } from "./profiles";
import { secretSpecs } from "./secretRegistry";
import { APPS_SHAPE, BACKUPS_SHAPE, MONITORING_SHAPE, HA_SHAPE, INGRESS_SHAPE, MONGO_SHAPE, NATS_SHAPE, NODE_PORTS_SHAPE, OBJECT_STORAGE_SHAPE, POSTGRES_SHAPE, REDIS_SHAPE, Shape } from "./shapes";

export type ScalarType = "string" | "integer" | "boolean";

export interface ConfigKeySpec {
    key: string;
    type: ScalarType | "object";
    description: string;
    /** Default written into Pulumi.yaml; "" / {} mean "take it from the profile". */
    default: string | number | boolean | Record<string, never>;
    secret?: boolean;
    shape?: Shape;
}

export const CONFIG_SCHEMA: readonly ConfigKeySpec[] = [
    { key: "profile", type: "string", default: "minikube", description: "Sizing profile: minikube | cloud. Supplies every default that the stack does not set." },
    { key: "kubeContext", type: "string", default: "", description: "kubeconfig context to deploy to; empty uses the current context." },
    { key: "namespace", type: "string", default: "the0", description: "Namespace for every the0 object (DNS-1123 label)." },
    { key: "instanceName", type: "string", default: "the0", description: "Prefix of every object name, like the0's Helm fullname (the0 => the0-api)." },
    { key: "domain", type: "string", default: "", description: "Base domain; hosts are <domain>, api.<domain>, docs.<domain>. Profile minikube: the0.local; required for cloud." },
    { key: "version", type: "string", default: THE0_VERSION, description: "the0 release; the tag of the api, frontend, docs and runtime images." },
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
        shape: APPS_SHAPE,
    },
    {
        key: "postgres", type: "object", default: {},
        description: "PostgreSQL: {mode: inCluster|external, image, database, user, storageSize, storageClass, resources, external: {host, port, sslmode}}.",
        shape: POSTGRES_SHAPE,
    },
    {
        key: "mongo", type: "object", default: {},
        description: "MongoDB: {mode: inCluster|external, image, rootUser, database, storageSize, storageClass, resources, external: {host, port, user, authSource, options}}.",
        shape: MONGO_SHAPE,
    },
    {
        key: "redis", type: "object", default: {},
        description: "Optional Redis: {enabled, mode: inCluster|external, image, storageSize, storageClass, resources, external: {host, port}}.",
        shape: REDIS_SHAPE,
    },
    {
        key: "objectStorage", type: "object", default: {},
        description: "Object storage: {mode: standalone|distributed|external, image, replicas, storageSize, storageClass, resources, external: {endpoint, port, useSsl}}.",
        shape: OBJECT_STORAGE_SHAPE,
    },
    {
        key: "nats", type: "object", default: {},
        description: "NATS JetStream: {mode: inCluster|external, image, replicas: 1|3|5, storageSize, storageClass, memoryStoreSize, resources, auth: false (the0 1.14 cannot send NATS credentials)}.",
        shape: NATS_SHAPE,
    },
    {
        key: "nodePorts", type: "object", default: {},
        description: "NodePort access like the0's external services: {enabled, api, frontend, minio, minioConsole, docs}. Profile minikube: on, 30000-30004.",
        shape: NODE_PORTS_SHAPE,
    },
    {
        key: "ingress", type: "object", default: {},
        description: "How web traffic gets in, and TLS: {enabled, mode: ingress|gateway, className (IngressClass), controller: minikubeAddon|existing, controllerKind: ingress-nginx|nginx|traefik|haproxy|other (sets body size and timeouts for uploads), controllerNamespace, annotations, hostAnnotations: {frontend, api, docs}, gateway: {create, className (GatewayClass), name, namespace, sectionName}, certManager: existing, tlsIssuer: selfSigned|letsencrypt-staging|letsencrypt-production|clusterIssuer|none, clusterIssuer, acmeEmail, requestTimeoutSeconds, hosts: {frontend, api, docs}}. Profile minikube: Ingress on the ingress addon, self-signed CA; cloud: a Gateway for the cluster-addons project's Envoy Gateway (GatewayClass eg), Let's Encrypt staging. cert-manager and controllers come from the cluster-addons project.",
        shape: INGRESS_SHAPE,
    },
    {
        key: "ha", type: "object", default: {},
        description: "High-availability features: {disruptionBudgets, spreadAcrossNodes}. Profile cloud: both on.",
        shape: HA_SHAPE,
    },
    {
        key: "backups", type: "object", default: {},
        description: "Scheduled backups of the in-cluster PostgreSQL, MongoDB and object storage: {enabled, schedule (cron, UTC), retention: {count, maxAgeDays}, target: {kind: s3|inCluster, endpoint, bucket, prefix, existingSecret}, clientImage (the MinIO client image; the gc CronJob also creates its buckets with it), resources, deadlineSeconds}. Profile cloud: on (target s3, required); minikube: off.",
        shape: BACKUPS_SHAPE,
    },
    {
        key: "monitoring", type: "object", default: {},
        description: "Metrics, alerts and dashboards for a Prometheus Operator: {enabled, stack: install|existing, namespace, selectorLabel (key=value), chartVersion, exporters: {nats, objectStorage, postgres, mongo}, images: {natsExporter, postgresExporter, mongoExporter}, resources, dashboards}. Profile cloud: on, existing; minikube: off (install when switched on).",
        shape: MONITORING_SHAPE,
    },
    // The secret keys, from their registry.
    ...secretSpecs().map((s): ConfigKeySpec => ({ key: s.key, type: "string", default: "", secret: true, description: s.description })),
];

