// Raw stack config (strings, as Pulumi stores them) -> one validated, frozen PlatformConfig.
// Pure: no Pulumi runtime here, so every rule is unit-testable and runs before any resource.
import { CATALOG } from "../model/catalog";
import { cronProblem } from "./cron";
import { CERT_MANAGER_NAMESPACE, DATA_IMAGES, PROFILE_DEFAULTS } from "./profiles";
import { CONFIG_SCHEMA, ConfigKeySpec, Shape } from "./schema";
import { APP_SERVICES, AppServiceKey, PROFILES, Profile, Resources } from "../model/basics";
import { ADDON_MODES, AppServiceSettings, DATA_MODES, INGRESS_CONTROLLER_MODES, IngressHosts, OBJECT_STORAGE_MODES, PlatformConfig, PULL_POLICIES, PullPolicy, SECRET_CONFIG_KEYS, SecretConfigKey, DataVolume, TLS_ISSUERS } from "./types";
import {
    checkImage,
    ConfigError,
    isByteQuantity,
    isChartVersion,
    isDnsLabel,
    isDnsSubdomain,
    isEmail,
    isHostname,
    isImageTag,
    isQuantity,
    parseQuantity,
    Problem,
} from "./validate";

export interface RawConfig {
    project: string;
    stack: string;
    /** Plain (non-secret) config values by key without the project prefix, as strings. */
    values: Readonly<Record<string, string>>;
    /** Secret keys that carry a non-empty value. */
    secretsProvided: readonly string[];
    /** Secret keys whose value was set in plaintext (without --secret). */
    plaintextSecrets?: readonly string[];
    /** Lengths of the provided secret values (never the values themselves). */
    secretLengths?: Readonly<Partial<Record<string, number>>>;
    /** Rules a provided secret value breaks, worded without the value (see load.ts). */
    secretProblems?: Readonly<Partial<Record<string, readonly string[]>>>;
}

/** Keys this project no longer reads, with what to do instead. Their values are never shown. */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
    natsPassword: "is no longer used: the0 1.14's api cannot send NATS credentials, so NATS runs without client auth behind NetworkPolicies; remove it with `pulumi config rm natsPassword`",
};

/** An unknown key may be a mistyped secret: its value is never printed. */
const NOT_SHOWN = "[not shown]";

/** the0's API refuses a shorter THE0_ADMIN_PASSWORD (MIN_PASSWORD_LENGTH). */
const MIN_ADMIN_PASSWORD = 6;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const NATS_CLUSTER_SIZES = [1, 3, 5];
/** the0's THE0_BOT_LOGS stream is a 128 MB memory stream. */
const MIN_NATS_MEMORY_STORE = 128 * 2 ** 20;

class Problems {
    readonly list: Problem[] = [];
    constructor(private readonly project: string) {}
    add(key: string, value: unknown, allowed: string): void {
        this.list.push({ key: `${this.project}:${key}`, value, allowed });
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing: strings -> typed values, checked against the schema's types and object shapes.

function parseScalar(spec: ConfigKeySpec, raw: string, problems: Problems): Json | undefined {
    switch (spec.type) {
        case "string":
            return raw;
        case "integer":
            if (!/^-?\d+$/.test(raw.trim())) return problems.add(spec.key, raw, "must be an integer"), undefined;
            return parseInt(raw, 10);
        case "boolean":
            if (raw !== "true" && raw !== "false") return problems.add(spec.key, raw, "must be true or false"), undefined;
            return raw === "true";
        case "object": {
            let parsed: Json;
            try {
                parsed = JSON.parse(raw) as Json;
            } catch {
                return problems.add(spec.key, raw, "must be an object (JSON/YAML map)"), undefined;
            }
            if (!isObj(parsed)) return problems.add(spec.key, parsed, "must be an object (JSON/YAML map)"), undefined;
            return checkShape(parsed, spec.shape ?? {}, spec.key, problems);
        }
    }
}

function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Drops (and reports) unknown fields and fields of the wrong type. */
function checkShape(value: Obj, shape: Shape, path: string, problems: Problems): Obj {
    const out: Obj = {};
    for (const [field, v] of Object.entries(value)) {
        const key = `${path}.${field}`;
        const want = shape[field];
        if (want === undefined) {
            problems.add(key, NOT_SHOWN, `unknown key; allowed: ${Object.keys(shape).join(", ")}`);
        } else if (typeof want === "object") {
            if (isObj(v)) out[field] = checkShape(v, want, key, problems);
            else problems.add(key, v, `must be an object with keys ${Object.keys(want).join(", ")}`);
        } else if (want === "integer") {
            if (typeof v === "number" && Number.isInteger(v)) out[field] = v;
            else problems.add(key, v, "must be an integer");
        } else if (want === "boolean") {
            if (typeof v === "boolean") out[field] = v;
            else problems.add(key, v, "must be true or false");
        } else if (typeof v === "string") {
            out[field] = v;
        } else {
            problems.add(key, v, "must be a string");
        }
    }
    return out;
}

function parseAll(raw: RawConfig, problems: Problems): Map<string, Json> {
    const parsed = new Map<string, Json>();
    const known = new Set(CONFIG_SCHEMA.map((s) => s.key));
    for (const key of Object.keys(raw.values)) {
        if (RETIRED_KEYS[key] !== undefined) problems.add(key, NOT_SHOWN, RETIRED_KEYS[key]);
        else if (!known.has(key)) problems.add(key, NOT_SHOWN, "unknown config key; see Pulumi.yaml for the keys this project reads");
    }
    for (const spec of CONFIG_SCHEMA) {
        if (spec.secret) continue;
        const v = raw.values[spec.key];
        if (v === undefined || v === "") continue;
        const p = parseScalar(spec, v, problems);
        if (p !== undefined) parsed.set(spec.key, p);
    }
    return parsed;
}

// ---------------------------------------------------------------------------------------------
// Overrides onto defaults.

/**
 * Field-by-field override of `base` by an object the schema's shape already checked (so the
 * types match). An empty string means "not set", like the "" defaults in Pulumi.yaml.
 */
export function mergeOverrides<T extends object>(base: T, override: Obj | undefined): T {
    if (!override) return base;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(override)) {
        const current = out[k];
        if (isObj(v) && typeof current === "object" && current !== null && !Array.isArray(current)) out[k] = mergeOverrides(current, v);
        else if (v !== "" && v !== null) out[k] = v;
    }
    return out as T;
}

// ---------------------------------------------------------------------------------------------
// Resolution: profile defaults, then the stack's overrides.

export function resolveConfig(raw: RawConfig): PlatformConfig {
    const problems = new Problems(raw.project);
    const p = parseAll(raw, problems);
    const s = (key: string): string | undefined => {
        const v = p.get(key);
        return typeof v === "string" && v !== "" ? v : undefined;
    };
    const o = (key: string): Obj | undefined => {
        const v = p.get(key);
        return isObj(v) ? v : undefined;
    };

    const profileValue = s("profile") ?? "minikube";
    const profileKnown = (PROFILES as readonly string[]).includes(profileValue);
    if (!profileKnown) problems.add("profile", profileValue, `must be one of ${PROFILES.join(", ")}`);
    const profile: Profile = profileKnown ? (profileValue as Profile) : "minikube";
    const d = PROFILE_DEFAULTS[profile];

    const secretsProvided = new Set<SecretConfigKey>(
        raw.secretsProvided.filter((k): k is SecretConfigKey => (SECRET_CONFIG_KEYS as readonly string[]).includes(k)),
    );

    const version = s("version") ?? "1.14.0";
    const registry = s("imageRegistry") ?? "ghcr.io/alexanderwanyoike/the0";
    const imagePullPolicy = (s("imagePullPolicy") ?? d.imagePullPolicy) as PullPolicy;
    const storageClass = s("storageClass") ?? d.storageClass;
    const domain = s("domain") ?? d.domain;

    const apps = {} as Record<AppServiceKey, AppServiceSettings>;
    const appsOverride = o("apps");
    for (const entry of CATALOG) {
        const override = isObj(appsOverride?.[entry.key]) ? (appsOverride![entry.key] as Obj) : undefined;
        const merged = mergeOverrides<AppServiceSettings>({
            enabled: entry.defaultEnabled,
            image: entry.defaultImage ? `${registry}/${entry.defaultImage}:${version}` : "",
            ...entry.sizing[profile],
        }, override);
        // An extra without a default image turns on when it is given one.
        if (!entry.defaultImage && override?.enabled === undefined && merged.image !== "") merged.enabled = true;
        apps[entry.key] = merged;
    }

    const objectStorageOverride = o("objectStorage");
    const objectStorage = mergeOverrides({ ...d.objectStorage, image: DATA_IMAGES.minio, storageClass }, objectStorageOverride);
    if (objectStorageOverride?.replicas === undefined) {
        // Changing the mode alone picks that mode's natural size.
        if (objectStorage.mode === "standalone") objectStorage.replicas = 1;
        if (objectStorage.mode === "distributed") objectStorage.replicas = Math.max(4, objectStorage.replicas);
    }

    const ingress = mergeOverrides({
        ...d.ingress,
        hosts: { frontend: domain, api: domain ? `api.${domain}` : "", docs: domain ? `docs.${domain}` : "" },
    }, o("ingress"));

    const cfg: PlatformConfig = {
        project: raw.project,
        stack: raw.stack,
        profile,
        kubernetes: { context: s("kubeContext") ?? "", namespace: s("namespace") ?? "the0" },
        instanceName: s("instanceName") ?? "the0",
        domain,
        version,
        imagePullPolicy,
        botImagePullPolicy: (s("botImagePullPolicy") ?? imagePullPolicy) as PullPolicy,
        rootAdminEmail: s("rootAdminEmail") ?? d.rootAdminEmail,
        existingSecret: s("existingSecret") ?? "",
        apps,
        gcSchedule: s("gcSchedule") ?? "*/5 * * * *",
        postgres: mergeOverrides({ ...d.postgres, image: DATA_IMAGES.postgres, storageClass }, o("postgres")),
        mongo: mergeOverrides({ ...d.mongo, image: DATA_IMAGES.mongo, storageClass }, o("mongo")),
        redis: mergeOverrides({ ...d.redis, image: DATA_IMAGES.redis, storageClass }, o("redis")),
        objectStorage,
        nats: mergeOverrides({ ...d.nats, image: DATA_IMAGES.nats, storageClass }, o("nats")),
        nodePorts: mergeOverrides(d.nodePorts, o("nodePorts")),
        ingress,
        ha: mergeOverrides(d.ha, o("ha")),
        networkPolicies: p.get("networkPolicies") !== false,
        protectDataVolumes: p.get("protectDataVolumes") === true,
        secretsProvided,
    };

    const adminPasswordLength = raw.secretLengths?.rootAdminPassword;
    if (adminPasswordLength !== undefined && adminPasswordLength < MIN_ADMIN_PASSWORD) {
        problems.add("rootAdminPassword", "[secret]", `must be at least ${MIN_ADMIN_PASSWORD} characters: the0's API refuses to start with a shorter THE0_ADMIN_PASSWORD`);
    }
    for (const [key, rules] of Object.entries(raw.secretProblems ?? {})) {
        // MinIO's own key rules bind the in-cluster server only; an external S3 has its own.
        if ((key === "minioAccessKey" || key === "minioSecretKey") && cfg.objectStorage.mode === "external") continue;
        for (const rule of rules ?? []) problems.add(key, "[secret]", rule);
    }
    for (const key of raw.plaintextSecrets ?? []) {
        problems.add(key, "[not shown]", `is a secret: set it with \`pulumi config set --secret ${key}\`, not in plaintext`);
    }
    validate(cfg, problems, { storageClass, derivedHosts: { frontend: domain, api: `api.${domain}`, docs: `docs.${domain}` } });
    if (problems.list.length > 0) throw new ConfigError(raw.stack, problems.list);
    return deepFreeze(cfg);
}

// ---------------------------------------------------------------------------------------------
// Semantic rules on the merged config.

function oneOf<T extends string>(problems: Problems, key: string, value: string, allowed: readonly T[]): void {
    if (!(allowed as readonly string[]).includes(value)) problems.add(key, value, `must be one of ${allowed.join(", ")}`);
}

function checkResources(problems: Problems, key: string, r: Resources): void {
    for (const kind of ["requests", "limits"] as const) {
        if (!isQuantity(r[kind].cpu)) problems.add(`${key}.${kind}.cpu`, r[kind].cpu, "must be a Kubernetes CPU quantity such as 250m or 1");
        if (!isByteQuantity(r[kind].memory)) problems.add(`${key}.${kind}.memory`, r[kind].memory, "must be a Kubernetes byte quantity such as 512Mi or 1Gi");
    }
    for (const res of ["cpu", "memory"] as const) {
        const req = parseQuantity(r.requests[res]);
        const lim = parseQuantity(r.limits[res]);
        // Compared only when both parse; a bad quantity is reported once, above.
        const valid = res === "cpu" ? isQuantity(r.requests.cpu) && isQuantity(r.limits.cpu) : isByteQuantity(r.requests.memory) && isByteQuantity(r.limits.memory);
        if (valid && req > lim) problems.add(`${key}.requests.${res}`, r.requests[res], `must not exceed limits.${res} (${r.limits[res]})`);
    }
}

const STORAGE_CLASS_RULE = "must be a StorageClass name (DNS subdomain) or empty for the cluster default";

/** `inherited` is the top-level storageClass, reported once under its own key. */
function checkStorage(problems: Problems, key: string, st: DataVolume, inherited: string): void {
    if (!isByteQuantity(st.storageSize)) problems.add(`${key}.storageSize`, st.storageSize, "must be a Kubernetes byte quantity such as 10Gi (not 10GB)");
    if (st.storageClass !== inherited && st.storageClass !== "" && !isDnsSubdomain(st.storageClass)) problems.add(`${key}.storageClass`, st.storageClass, STORAGE_CLASS_RULE);
}

function checkImageRef(problems: Problems, key: string, ref: string, profile: Profile): void {
    const c = checkImage(ref);
    if (!c.valid) problems.add(key, ref, "must be an image reference such as registry/name:tag or name@sha256:<digest>");
    else if (!c.pinned) problems.add(key, ref, "must carry a tag or a digest");
    else if (c.latest && profile !== "minikube") problems.add(key, ref, "must not use the latest tag outside the minikube profile; pin a version or digest");
}

function checkPort(problems: Problems, key: string, port: number): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.add(key, port, "must be a TCP port 1-65535");
}

/** What validation needs to know about where a value came from, to report each mistake once. */
interface ValidationContext {
    /** The top-level storageClass every data service inherits. */
    storageClass: string;
    /** Ingress hosts as derived from the domain. */
    derivedHosts: IngressHosts;
}

function validate(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    if (ctx.storageClass !== "" && !isDnsSubdomain(ctx.storageClass)) problems.add("storageClass", ctx.storageClass, STORAGE_CLASS_RULE);
    const external = c.existingSecret !== "";
    const has = (k: SecretConfigKey): boolean => c.secretsProvided.has(k);

    if (!isDnsLabel(c.kubernetes.namespace)) problems.add("namespace", c.kubernetes.namespace, "must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)");
    else if (isClusterNamespace(c.kubernetes.namespace, c)) {
        problems.add("namespace", c.kubernetes.namespace, "must be a namespace of its own: default, kube-* and the add-ons' namespaces belong to the cluster (the program labels its namespace PSA restricted, and protectDataVolumes would adopt it)");
    }
    // <instanceName>-security-analyzer-headless style names must stay within 63 characters.
    if (!isDnsLabel(c.instanceName) || c.instanceName.length > 30) problems.add("instanceName", c.instanceName, "must be a DNS-1123 label of at most 30 characters");
    if (c.domain === "") {
        if (c.profile === "cloud") problems.add("domain", c.domain, "is required for the cloud profile (e.g. the0.example.com)");
    } else if (!isHostname(c.domain)) {
        problems.add("domain", c.domain, "must be a DNS name such as the0.example.com");
    }
    if (!isImageTag(c.version)) problems.add("version", c.version, "must be an image tag such as 1.14.0");
    oneOf(problems, "imagePullPolicy", c.imagePullPolicy, PULL_POLICIES);
    oneOf(problems, "botImagePullPolicy", c.botImagePullPolicy, PULL_POLICIES);
    if (c.profile !== "minikube") {
        if (c.imagePullPolicy === "Never") problems.add("imagePullPolicy", c.imagePullPolicy, "Never only works with images preloaded on the node; allowed outside minikube: Always, IfNotPresent");
        if (c.botImagePullPolicy === "Never" && c.imagePullPolicy !== "Never") problems.add("botImagePullPolicy", c.botImagePullPolicy, "Never only works with images preloaded on the node; allowed outside minikube: Always, IfNotPresent");
    }
    if (c.rootAdminEmail === "") problems.add("rootAdminEmail", c.rootAdminEmail, "is required for the cloud profile: the0's API refuses to start without THE0_ADMIN_EMAIL");
    else if (!isEmail(c.rootAdminEmail)) problems.add("rootAdminEmail", c.rootAdminEmail, "must be an email address");
    if (external && !isDnsSubdomain(c.existingSecret)) problems.add("existingSecret", c.existingSecret, "must be a Secret name (DNS subdomain)");
    if (external) {
        for (const k of c.secretsProvided) {
            problems.add(k, "[secret]", "is ignored when existingSecret is set; put the value into that Secret or unset existingSecret");
        }
    }
    const cron = cronProblem(c.gcSchedule);
    if (cron) problems.add("gcSchedule", c.gcSchedule, `must be a cron schedule the API server accepts, such as */5 * * * * or @hourly: ${cron}`);

    // App services.
    for (const key of APP_SERVICES) {
        const a = c.apps[key];
        const entry = CATALOG.find((e) => e.key === key);
        const k = `apps.${key}`;
        if (!a.enabled) continue;
        if (a.image === "") problems.add(`${k}.image`, a.image, `is required to enable ${key}: it has no default image`);
        else checkImageRef(problems, `${k}.image`, a.image, c.profile);
        if (entry?.singleton) {
            if (a.replicas !== 1) problems.add(`${k}.replicas`, a.replicas, "must be exactly 1: the bot-controller has no leader election");
            if (a.autoscaling.enabled) problems.add(`${k}.autoscaling.enabled`, true, "must be false: the bot-controller runs exactly one replica");
        } else if (!Number.isInteger(a.replicas) || a.replicas < 1 || a.replicas > 50) {
            problems.add(`${k}.replicas`, a.replicas, "must be an integer from 1 to 50");
        }
        checkResources(problems, `${k}.resources`, a.resources);
        if (a.autoscaling.enabled) {
            const as = a.autoscaling;
            if (entry?.workload !== "Deployment") problems.add(`${k}.autoscaling.enabled`, true, "autoscaling applies to Deployments only");
            if (as.minReplicas < 1) problems.add(`${k}.autoscaling.minReplicas`, as.minReplicas, "must be at least 1");
            if (as.maxReplicas < as.minReplicas) problems.add(`${k}.autoscaling.maxReplicas`, as.maxReplicas, `must be at least minReplicas (${as.minReplicas})`);
            if (as.targetCpuPercent < 1 || as.targetCpuPercent > 100) problems.add(`${k}.autoscaling.targetCpuPercent`, as.targetCpuPercent, "must be 1-100");
        }
    }
    if (!c.apps.api.enabled) problems.add("apps.api.enabled", false, "the api cannot be disabled: frontend and bot-controller depend on it");

    // Data services.
    oneOf(problems, "postgres.mode", c.postgres.mode, DATA_MODES);
    if (c.postgres.mode === "inCluster") {
        checkImageRef(problems, "postgres.image", c.postgres.image, c.profile);
        checkStorage(problems, "postgres", c.postgres, ctx.storageClass);
        checkResources(problems, "postgres.resources", c.postgres.resources);
        if (!isSqlIdentifier(c.postgres.database)) problems.add("postgres.database", c.postgres.database, "must be a lowercase SQL identifier");
        if (!isSqlIdentifier(c.postgres.user)) problems.add("postgres.user", c.postgres.user, "must be a lowercase SQL identifier");
        if (has("postgresUrl")) problems.add("postgresUrl", "[secret]", "only applies to postgres.mode external");
    } else if (c.postgres.mode === "external") {
        if (!has("postgresUrl") && c.postgres.external.host === "" && !external) {
            problems.add("postgres.external.host", "", "postgres.mode is external: set postgresUrl (secret), postgres.external.host with postgresPassword, or existingSecret");
        }
        if (c.postgres.external.host !== "" && !has("postgresUrl") && !has("postgresPassword") && !external) {
            problems.add("postgresPassword", "(unset)", "is required with postgres.external.host");
        }
        if (c.postgres.external.host !== "" && !isDnsSubdomain(c.postgres.external.host)) problems.add("postgres.external.host", c.postgres.external.host, "must be a host name");
        checkPort(problems, "postgres.external.port", c.postgres.external.port);
        oneOf(problems, "postgres.external.sslmode", c.postgres.external.sslmode, ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]);
    }

    oneOf(problems, "mongo.mode", c.mongo.mode, DATA_MODES);
    if (c.mongo.mode === "inCluster") {
        checkImageRef(problems, "mongo.image", c.mongo.image, c.profile);
        checkStorage(problems, "mongo", c.mongo, ctx.storageClass);
        checkResources(problems, "mongo.resources", c.mongo.resources);
        if (has("mongoUrl")) problems.add("mongoUrl", "[secret]", "only applies to mongo.mode external");
    } else if (c.mongo.mode === "external") {
        if (!has("mongoUrl") && c.mongo.external.host === "" && !external) {
            problems.add("mongo.external.host", "", "mongo.mode is external: set mongoUrl (secret), mongo.external.host with mongoRootPassword, or existingSecret");
        }
        if (c.mongo.external.host !== "" && !has("mongoUrl") && !has("mongoRootPassword") && !external) {
            problems.add("mongoRootPassword", "(unset)", "is required with mongo.external.host");
        }
        checkPort(problems, "mongo.external.port", c.mongo.external.port);
    }

    if (c.redis.enabled) {
        oneOf(problems, "redis.mode", c.redis.mode, DATA_MODES);
        if (c.redis.mode === "inCluster") {
            checkImageRef(problems, "redis.image", c.redis.image, c.profile);
            checkStorage(problems, "redis", c.redis, ctx.storageClass);
            checkResources(problems, "redis.resources", c.redis.resources);
        } else if (c.redis.mode === "external") {
            if (!isDnsSubdomain(c.redis.external.host)) problems.add("redis.external.host", c.redis.external.host, "redis.mode is external: must be the Redis host name");
            checkPort(problems, "redis.external.port", c.redis.external.port);
        }
    }

    const osm = c.objectStorage;
    oneOf(problems, "objectStorage.mode", osm.mode, OBJECT_STORAGE_MODES);
    if (osm.mode === "standalone" && osm.replicas !== 1) problems.add("objectStorage.replicas", osm.replicas, "must be 1 in standalone mode; use mode distributed for 4 or more");
    if (osm.mode === "distributed" && (!Number.isInteger(osm.replicas) || osm.replicas < 4 || osm.replicas > 16)) {
        problems.add("objectStorage.replicas", osm.replicas, "distributed object storage needs 4 to 16 replicas (erasure coding)");
    }
    if (osm.mode === "standalone" || osm.mode === "distributed") {
        checkImageRef(problems, "objectStorage.image", osm.image, c.profile);
        checkStorage(problems, "objectStorage", osm, ctx.storageClass);
        checkResources(problems, "objectStorage.resources", osm.resources);
    } else if (osm.mode === "external") {
        if (osm.external.endpoint === "") problems.add("objectStorage.external.endpoint", "", "objectStorage.mode is external: set the S3 endpoint host (without https://)");
        else if (!isDnsSubdomain(osm.external.endpoint)) problems.add("objectStorage.external.endpoint", osm.external.endpoint, "must be a host name only, without scheme, port or path");
        checkPort(problems, "objectStorage.external.port", osm.external.port);
        if (!external && (!has("minioAccessKey") || !has("minioSecretKey"))) {
            problems.add("minioAccessKey", has("minioAccessKey") ? "[secret]" : "(unset)", "external object storage needs minioAccessKey and minioSecretKey (secrets) or existingSecret");
        }
    }

    const n = c.nats;
    oneOf(problems, "nats.mode", n.mode, DATA_MODES);
    if (n.mode === "inCluster") {
        if (!NATS_CLUSTER_SIZES.includes(n.replicas)) problems.add("nats.replicas", n.replicas, "must be 1, 3 or 5 (a JetStream cluster needs an odd quorum)");
        checkImageRef(problems, "nats.image", n.image, c.profile);
        checkStorage(problems, "nats", n, ctx.storageClass);
        checkResources(problems, "nats.resources", n.resources);
        if (!isByteQuantity(n.memoryStoreSize)) {
            problems.add("nats.memoryStoreSize", n.memoryStoreSize, "must be a Kubernetes byte quantity such as 256Mi");
        } else if (parseQuantity(n.memoryStoreSize) < MIN_NATS_MEMORY_STORE) {
            problems.add("nats.memoryStoreSize", n.memoryStoreSize, "must be at least 128Mi: the0's THE0_BOT_LOGS stream keeps 128 MB in memory");
        } else if (isByteQuantity(n.resources.limits.memory) && parseQuantity(n.memoryStoreSize) >= parseQuantity(n.resources.limits.memory)) {
            problems.add("nats.memoryStoreSize", n.memoryStoreSize, `must be below nats.resources.limits.memory (${n.resources.limits.memory})`);
        }
        if (has("natsUrl")) problems.add("natsUrl", "[secret]", "only applies to nats.mode external");
    }
    if (n.auth) {
        problems.add("nats.auth", true, "must be false: the0 1.14's api connects to NATS with nats.js and sends no credentials, so it would stop at start-up; NetworkPolicies keep port 4222 to the services that use NATS");
    } else if (n.mode === "external" && !has("natsUrl") && !external) {
        problems.add("natsUrl", "(unset)", "nats.mode is external: set natsUrl (secret) to the JetStream-enabled server URL(s), or existingSecret");
    }

    // Exposure.
    if (c.nodePorts.enabled) {
        const ports = [c.nodePorts.api, c.nodePorts.frontend, c.nodePorts.minio, c.nodePorts.minioConsole, c.nodePorts.docs];
        for (const k of ["api", "frontend", "minio", "minioConsole", "docs"] as const) {
            const v = c.nodePorts[k];
            if (!Number.isInteger(v) || v < 30000 || v > 32767) problems.add(`nodePorts.${k}`, v, "must be in the NodePort range 30000-32767");
            else if (ports.filter((x) => x === v).length > 1) problems.add(`nodePorts.${k}`, v, "must differ from every other node port");
        }
    }

    const ing = c.ingress;
    if (ing.enabled) {
        if (!isDnsLabel(ing.className)) problems.add("ingress.className", ing.className, "must be an IngressClass name");
        if (!isDnsLabel(ing.controllerNamespace)) problems.add("ingress.controllerNamespace", ing.controllerNamespace, "must be a namespace name (DNS-1123 label)");
        oneOf(problems, "ingress.controller", ing.controller, INGRESS_CONTROLLER_MODES);
        oneOf(problems, "ingress.certManager", ing.certManager, ADDON_MODES);
        oneOf(problems, "ingress.tlsIssuer", ing.tlsIssuer, TLS_ISSUERS);
        if (ing.controller === "minikubeAddon" && c.profile !== "minikube") problems.add("ingress.controller", ing.controller, "minikubeAddon needs the minikube profile; use install or existing");
        if (!isChartVersion(ing.controllerChartVersion)) problems.add("ingress.controllerChartVersion", ing.controllerChartVersion, "must be a chart version such as 4.15.1");
        if (!isChartVersion(ing.certManagerChartVersion)) problems.add("ingress.certManagerChartVersion", ing.certManagerChartVersion, "must be a chart version such as v1.21.1");
        if (ing.tlsIssuer.startsWith("letsencrypt")) {
            if (ing.acmeEmail === "") problems.add("ingress.acmeEmail", "", `is required for tlsIssuer ${ing.tlsIssuer} (Let's Encrypt account email)`);
            else if (!isEmail(ing.acmeEmail)) problems.add("ingress.acmeEmail", ing.acmeEmail, "must be an email address");
            if (c.profile === "minikube") problems.add("ingress.tlsIssuer", ing.tlsIssuer, "Let's Encrypt HTTP-01 cannot reach a minikube cluster; use selfSigned");
        }
        for (const k of ["frontend", "api", "docs"] as const) {
            // A host derived from a bad domain is reported once, as the domain.
            const derivedFromBadDomain = ing.hosts[k] === ctx.derivedHosts[k] && !isHostname(c.domain);
            if (ing.hosts[k] !== "" && !derivedFromBadDomain && !isHostname(ing.hosts[k])) problems.add(`ingress.hosts.${k}`, ing.hosts[k], "must be a DNS name such as api.the0.example.com");
        }
        const hostList = [ing.hosts.frontend, ing.hosts.api, ing.hosts.docs].filter((h) => h !== "");
        if (new Set(hostList).size !== hostList.length) problems.add("ingress.hosts", ing.hosts, "frontend, api and docs need distinct hosts");
    }
    if (c.profile === "cloud" && !ing.enabled && !c.nodePorts.enabled) {
        problems.add("ingress.enabled", false, "the cloud profile needs ingress or nodePorts, or the0 is unreachable");
    }
}

/** Namespaces the cluster or its add-ons own; ours is relabelled, adopted and possibly retained. */
function isClusterNamespace(ns: string, c: PlatformConfig): boolean {
    if (ns === "default" || ns.startsWith("kube-")) return true;
    const addOns = c.ingress.enabled ? [c.ingress.controllerNamespace, CERT_MANAGER_NAMESPACE] : [];
    return addOns.includes(ns);
}

function isSqlIdentifier(v: string): boolean {
    return /^[a-z_][a-z0-9_]{0,62}$/.test(v);
}

function deepFreeze<T>(o: T): T {
    if (o && typeof o === "object" && !(o instanceof Set)) {
        for (const v of Object.values(o as object)) deepFreeze(v);
        Object.freeze(o);
    }
    return o;
}
