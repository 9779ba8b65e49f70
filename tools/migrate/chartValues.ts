// the0's Helm chart (0.9.1) values, and what each becomes in a stack of this program: a config key,
// a secret config key, or nothing, with the reason. `translateChartValues` turns a release's
// user-supplied values (`helm get values`) into the stack config a migration writes; the table is
// generated into the deployment doc ("Coming from the Helm chart"), and tests/migrate.test.ts holds
// it to every value the chart's values.yaml declares.
import { SecretConfigKey } from "../../components/config/secretRegistry";
import { THE0_VERSION } from "../../components/config/pins";

export type ChartValues = Record<string, unknown>;

type Target =
    | { key: string; convert?: (v: unknown, values: ChartValues) => unknown }
    | { secret: SecretConfigKey; when?: "external" | "inCluster" }
    | { none: string }
    /** Read together with other values into one key (translateChartValues builds it). */
    | { derived: string };

export interface ChartValueRow {
    /** Dot path in the chart's values; a trailing `.*` covers every value under it. */
    value: string;
    target: Target;
}

const at = (values: ChartValues, path: string): unknown =>
    path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), values);

/** `<repository>:<tag>`, the tag defaulting to the chart's appVersion as its templates do. */
const image = (component: string) => (v: unknown, values: ChartValues) => `${String(v)}:${String(at(values, `${component}.image.tag`) || THE0_VERSION)}`;
const inCluster = (enabled: unknown) => (enabled === false ? "external" : "inCluster");

const app = (chart: string, key: string): ChartValueRow[] => [
    { value: `${chart}.enabled`, target: { key: `apps.${key}.enabled` } },
    { value: `${chart}.replicas`, target: { key: `apps.${key}.replicas` } },
    { value: `${chart}.image.repository`, target: { key: `apps.${key}.image`, convert: image(chart) } },
    { value: `${chart}.image.tag`, target: { none: `part of apps.${key}.image (with image.repository)` } },
    { value: `${chart}.resources.*`, target: { key: `apps.${key}.resources` } },
    { value: `${chart}.port`, target: { none: "fixed: the port the0's image listens on" } },
];

export const CHART_VALUE_ROWS: readonly ChartValueRow[] = [
    { value: "fullnameOverride", target: { derived: "instanceName (the release's full name, so the objects keep their names)" } },
    { value: "nameOverride", target: { derived: "instanceName (the release's full name, so the objects keep their names)" } },
    { value: "global.imagePullPolicy", target: { key: "imagePullPolicy" } },
    { value: "global.storageClass", target: { key: "storageClass" } },
    { value: "global.existingSecret", target: { key: "existingSecret" } },

    { value: "postgresql.enabled", target: { key: "postgres.mode", convert: inCluster } },
    { value: "postgresql.image", target: { key: "postgres.image" } },
    { value: "postgresql.port", target: { none: "fixed: 5432" } },
    { value: "postgresql.database", target: { key: "postgres.database" } },
    { value: "postgresql.username", target: { key: "postgres.user" } },
    { value: "postgresql.password", target: { secret: "postgresPassword", when: "inCluster" } },
    { value: "postgresql.sslmode", target: { none: "in the cluster the connection stays inside the namespace's NetworkPolicies (sslmode disable)" } },
    { value: "postgresql.persistence.enabled", target: { none: "volumes are always persistent (StatefulSet volume claims)" } },
    { value: "postgresql.persistence.size", target: { key: "postgres.storageSize" } },
    { value: "postgresql.resources.*", target: { key: "postgres.resources" } },
    { value: "postgresql.external.host", target: { key: "postgres.external.host" } },
    { value: "postgresql.external.port", target: { key: "postgres.external.port" } },
    { value: "postgresql.external.database", target: { key: "postgres.database" } },
    { value: "postgresql.external.username", target: { key: "postgres.user" } },
    { value: "postgresql.external.password", target: { secret: "postgresPassword", when: "external" } },
    { value: "postgresql.external.sslmode", target: { key: "postgres.external.sslmode" } },
    { value: "postgresql.external.connectionString", target: { secret: "postgresUrl", when: "external" } },

    { value: "mongodb.enabled", target: { key: "mongo.mode", convert: inCluster } },
    { value: "mongodb.image", target: { key: "mongo.image" } },
    { value: "mongodb.port", target: { none: "fixed: 27017" } },
    { value: "mongodb.rootUsername", target: { key: "mongo.rootUser" } },
    { value: "mongodb.rootPassword", target: { secret: "mongoRootPassword", when: "inCluster" } },
    { value: "mongodb.database", target: { key: "mongo.database" } },
    { value: "mongodb.persistence.enabled", target: { none: "volumes are always persistent (StatefulSet volume claims)" } },
    { value: "mongodb.persistence.size", target: { key: "mongo.storageSize" } },
    { value: "mongodb.resources.*", target: { key: "mongo.resources" } },
    { value: "mongodb.external.host", target: { key: "mongo.external.host" } },
    { value: "mongodb.external.port", target: { key: "mongo.external.port" } },
    { value: "mongodb.external.username", target: { key: "mongo.external.user" } },
    { value: "mongodb.external.password", target: { secret: "mongoRootPassword", when: "external" } },
    { value: "mongodb.external.database", target: { key: "mongo.database" } },
    { value: "mongodb.external.authSource", target: { key: "mongo.external.authSource" } },
    { value: "mongodb.external.options", target: { key: "mongo.external.options" } },
    { value: "mongodb.external.connectionString", target: { secret: "mongoUrl", when: "external" } },

    { value: "nats.enabled", target: { key: "nats.mode", convert: inCluster } },
    { value: "nats.image", target: { key: "nats.image" } },
    { value: "nats.port", target: { none: "fixed: 4222" } },
    { value: "nats.monitoringPort", target: { none: "fixed: 8222" } },
    { value: "nats.persistence.enabled", target: { none: "JetStream's file store is always on a volume claim" } },
    { value: "nats.persistence.size", target: { key: "nats.storageSize" } },
    { value: "nats.resources.*", target: { key: "nats.resources" } },
    { value: "nats.external.host", target: { derived: "the secret natsUrl, nats://<host>:<port>" } },
    { value: "nats.external.port", target: { derived: "the secret natsUrl, nats://<host>:<port>" } },
    { value: "nats.external.url", target: { secret: "natsUrl", when: "external" } },

    { value: "minio.enabled", target: { key: "objectStorage.mode", convert: (v) => (v === false ? "external" : "standalone") } },
    { value: "minio.image", target: { key: "objectStorage.image" } },
    { value: "minio.port", target: { none: "fixed: 9000" } },
    { value: "minio.consolePort", target: { none: "fixed: 9001" } },
    { value: "minio.accessKey", target: { secret: "minioAccessKey", when: "inCluster" } },
    { value: "minio.secretKey", target: { secret: "minioSecretKey", when: "inCluster" } },
    { value: "minio.persistence.enabled", target: { none: "volumes are always persistent (StatefulSet volume claims)" } },
    { value: "minio.persistence.size", target: { key: "objectStorage.storageSize" } },
    { value: "minio.resources.*", target: { key: "objectStorage.resources" } },
    { value: "minio.external.endpoint", target: { key: "objectStorage.external.endpoint" } },
    { value: "minio.external.port", target: { key: "objectStorage.external.port" } },
    { value: "minio.external.useSSL", target: { key: "objectStorage.external.useSsl" } },
    { value: "minio.external.accessKey", target: { secret: "minioAccessKey", when: "external" } },
    { value: "minio.external.secretKey", target: { secret: "minioSecretKey", when: "external" } },
    { value: "minio.external.region", target: { none: "the0 1.14 reads no region" } },

    ...app("the0Api", "api"),
    { value: "the0Api.env.JWT_SECRET", target: { secret: "jwtSecret" } },
    { value: "the0Api.env.THE0_ADMIN_EMAIL", target: { key: "rootAdminEmail" } },
    { value: "the0Api.env.THE0_ADMIN_PASSWORD", target: { secret: "rootAdminPassword" } },
    { value: "the0Api.env.*", target: { none: "set by the program: URLs from the domain and Service names, bucket names the0 fixes, NODE_ENV production" } },
    { value: "the0Api.extraEnv", target: { none: "THE0_ADMIN_PASSWORD from it becomes the secret rootAdminPassword; other entries have no counterpart" } },
    ...app("the0Frontend", "frontend"),
    { value: "the0Frontend.env.JWT_SECRET", target: { none: "the same secret jwtSecret as the api's (one value for both)" } },
    { value: "the0Frontend.env.*", target: { none: "set by the program from the domain" } },
    ...app("the0Docs", "docs"),
    { value: "the0Docs.env.*", target: { none: "set by the program" } },
    ...app("botController", "botController"),
    { value: "botController.runtimeImagePullPolicy", target: { key: "botImagePullPolicy" } },
    { value: "botController.reconcileInterval", target: { none: "fixed: 30s, as the chart's default" } },
    { value: "botController.env", target: { none: "no counterpart: the program sets the controller's env" } },
    { value: "botController.minio.bucket", target: { none: "fixed: custom-bots (the0's bot pods read no other)" } },

    { value: "gc.enabled", target: { key: "apps.gc.enabled" } },
    { value: "gc.schedule", target: { key: "gcSchedule" } },
    { value: "gc.image.repository", target: { key: "apps.gc.image", convert: image("gc") } },
    { value: "gc.image.tag", target: { none: "part of apps.gc.image (with image.repository)" } },
    { value: "gc.image.pullPolicy", target: { none: "imagePullPolicy, for every image" } },

    { value: "service.type", target: { none: "Services are ClusterIP; the0 is reached through nodePorts or ingress" } },
    { value: "externalServices.enabled", target: { key: "nodePorts.enabled" } },
    { value: "externalServices.nodePort.frontend", target: { key: "nodePorts.frontend" } },
    { value: "externalServices.nodePort.api", target: { key: "nodePorts.api" } },
    { value: "externalServices.nodePort.minio", target: { key: "nodePorts.minio" } },
    { value: "externalServices.nodePort.docs", target: { key: "nodePorts.docs" } },
    { value: "minikube.enabled", target: { key: "profile", convert: (v) => (v === false ? "cloud" : "minikube") } },

    { value: "ingress.enabled", target: { key: "ingress.enabled" } },
    { value: "ingress.className", target: { key: "ingress.className" } },
    { value: "ingress.annotations.*", target: { key: "ingress.annotations" } },
    { value: "ingress.hosts", target: { derived: "domain (the frontend's host) and ingress.hosts.{frontend, api, docs}, from each path's service" } },
    { value: "ingress.tls", target: { none: "TLS comes from cert-manager here: ingress.tlsIssuer (an existing Secret has no counterpart)" } },
];

/** The row for a value path: exact, or the nearest `.*` above it. */
export function rowFor(path: string): ChartValueRow | undefined {
    const exact = CHART_VALUE_ROWS.find((r) => r.value === path);
    if (exact) return exact;
    return CHART_VALUE_ROWS.filter((r) => r.value.endsWith(".*") && (path.startsWith(r.value.slice(0, -1)) || path === r.value.slice(0, -2)))
        .sort((a, b) => b.value.length - a.value.length)[0];
}

export interface Translation {
    /** Stack config: key (dot path into its object) -> value. */
    config: Record<string, unknown>;
    secrets: Partial<Record<SecretConfigKey, string>>;
    /** Values the release sets that have no counterpart, with why. */
    notCarried: string[];
    /** Where the api's THE0_ADMIN_PASSWORD comes from, when the release takes it from a Secret (the chart's way). */
    adminPasswordRef?: { name: string; key: string };
}

/** The chart's `the0.fullname`: fullnameOverride, else the release name when it contains the chart's name, else <release>-<name>. */
export function chartFullName(release: string, values: ChartValues): string {
    const override = at(values, "fullnameOverride");
    if (typeof override === "string" && override !== "") return override.slice(0, 63).replace(/-+$/, "");
    const name = (at(values, "nameOverride") as string | undefined) || "the0";
    return (release.includes(name) ? release : `${release}-${name}`).slice(0, 63).replace(/-+$/, "");
}

/** Every leaf of a values object, as dot paths (arrays and empty objects are leaves). */
export function leaves(values: unknown, prefix = ""): Array<[string, unknown]> {
    if (values && typeof values === "object" && !Array.isArray(values) && Object.keys(values).length > 0) {
        return Object.entries(values).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return prefix ? [[prefix, values]] : [];
}

/** Whether the release runs a store in the cluster (the chart's `<store>.enabled`, true by default). */
const runsInCluster = (values: ChartValues, store: string) => at(values, `${store}.enabled`) !== false;

/** The stack config and secrets for a release's user-supplied values; unknown values are reported, never guessed. */
export function translateChartValues(values: ChartValues): Translation {
    const out: Translation = { config: {}, secrets: {}, notCarried: [] };
    for (const [path, value] of leaves(values)) {
        const row = rowFor(path);
        if (!row) {
            out.notCarried.push(`${path}: not a value of the0's chart 0.9.1`);
            continue;
        }
        const t = row.target;
        if ("derived" in t) continue;
        if ("none" in t) {
            if (value !== "" && value !== null && !(Array.isArray(value) && value.length === 0)) out.notCarried.push(`${path}: ${t.none}`);
        } else if ("secret" in t) {
            const store = path.split(".")[0];
            const applies = t.when === undefined || (t.when === "inCluster") === runsInCluster(values, store);
            if (applies && typeof value === "string" && value !== "") out.secrets[t.secret] = value;
        } else if (row.value.endsWith(".*")) {
            // A subtree value (resources, annotations): the whole object under the row's path, once.
            const base = row.value.slice(0, -2);
            if (!(t.key in out.config)) out.config[t.key] = at(values, base);
        } else {
            out.config[t.key] = t.convert ? t.convert(value, values) : value;
        }
    }
    const admin = (at(values, "the0Api.extraEnv") as ExtraEnv[] | undefined ?? []).find((e) => e.name === "THE0_ADMIN_PASSWORD");
    if (typeof admin?.value === "string" && admin.value !== "") out.secrets.rootAdminPassword = admin.value;
    const ref = admin?.valueFrom?.secretKeyRef;
    if (ref?.name && ref.key) out.adminPasswordRef = { name: ref.name, key: ref.key };
    const natsHost = at(values, "nats.external.host");
    if (!runsInCluster(values, "nats") && out.secrets.natsUrl === undefined && typeof natsHost === "string" && natsHost !== "") {
        out.secrets.natsUrl = `nats://${natsHost}:${String(at(values, "nats.external.port") ?? 4222)}`;
    }
    const hosts = at(values, "ingress.hosts");
    if (Array.isArray(hosts)) Object.assign(out.config, ingressHosts(hosts as IngressHost[]));
    return out;
}

interface ExtraEnv {
    name?: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name?: string; key?: string } };
}

/** The chart's Secret keys (what its workloads run with) and the stack's secret config keys they become. */
export const RELEASE_SECRET_KEYS: Readonly<Record<string, SecretConfigKey>> = {
    "postgresql-password": "postgresPassword",
    "mongodb-root-password": "mongoRootPassword",
    "minio-access-key": "minioAccessKey",
    "minio-secret-key": "minioSecretKey",
    "jwt-secret": "jwtSecret",
};

interface IngressHost {
    host?: string;
    paths?: Array<{ service?: string }>;
}

/** The chart's host list -> domain (when the hosts follow <domain>, api.<domain>, docs.<domain>) and ingress.hosts. */
function ingressHosts(hosts: IngressHost[]): Record<string, unknown> {
    const of = (service: string) => hosts.find((h) => (h.paths ?? []).some((p) => p.service === service))?.host;
    const frontend = of("frontend");
    const out: Record<string, unknown> = {};
    if (frontend) out.domain = frontend;
    for (const service of ["frontend", "api", "docs"]) {
        const host = of(service);
        if (host) out[`ingress.hosts.${service}`] = host;
    }
    return out;
}
