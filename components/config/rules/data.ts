// Rules for the data services: each in-cluster one has a pinned image, a volume and resources; each
// external one an address. Their credentials are the secrets rules' business (rules/secrets.ts).
import { imageTag } from "../../model/basics";
import { postgresOperated, storeConfiguredInCluster } from "../facts";
import { parseQuantity, isByteQuantity, isDnsLabel, isDnsSubdomain } from "../validate";
import { Problems } from "../problems";
import { PlatformConfig } from "../types";
import { checkImageRef, checkPort, checkResources, checkStorage, ValidationContext } from "./common";

const NATS_CLUSTER_SIZES = [1, 3, 5];
/** the0's THE0_BOT_LOGS stream is a 128 MB memory stream. */
const MIN_NATS_MEMORY_STORE = 128 * 2 ** 20;

/** Image, volume and resources of a data service we run. */
function checkInCluster(c: PlatformConfig, problems: Problems, ctx: ValidationContext, key: "postgres" | "mongo" | "redis" | "objectStorage" | "nats"): void {
    const svc = c[key];
    checkImageRef(problems, `${key}.image`, svc.image, c.profile);
    checkStorage(problems, key, svc, ctx.storageClass);
    checkResources(problems, `${key}.resources`, svc.resources);
}

export function checkPostgres(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const pg = c.postgres;
    if (postgresOperated(c)) {
        checkPostgresCluster(c, problems, ctx);
        return;
    }
    if (storeConfiguredInCluster(c, "postgres")) {
        checkInCluster(c, problems, ctx, "postgres");
        if (!isSqlIdentifier(pg.database)) problems.add("postgres.database", pg.database, "must be a lowercase SQL identifier");
        if (!isSqlIdentifier(pg.user)) problems.add("postgres.user", pg.user, "must be a lowercase SQL identifier");
        return;
    }
    if (pg.external.host !== "" && !isDnsSubdomain(pg.external.host)) problems.add("postgres.external.host", pg.external.host, "must be a host name");
    checkPort(problems, "postgres.external.port", pg.external.port);
}

/** Names CloudNativePG's own databases and roles use: the0's database and role must not be them. */
const CNPG_RESERVED_DATABASES = ["postgres", "template0", "template1"];
const CNPG_RESERVED_ROLES = ["postgres", "streaming_replica"];
/** The PostgreSQL majors the pinned CloudNativePG release supports. */
const CNPG_MAJORS = { min: 14, max: 18 };

/** postgres.mode cloudnative-pg: what the operator, its webhook or its images would refuse or misuse, said before the Cluster is sent. */
function checkPostgresCluster(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const pg = c.postgres;
    checkInCluster(c, problems, ctx, "postgres");
    // The official image runs as uid 999/70 and has no barman-cloud: the operator's instances run as uid 26 and archive with it.
    if (/^(docker\.io\/)?(library\/)?postgres[:@]/.test(pg.image)) {
        problems.add("postgres.image", pg.image, "postgres.mode cloudnative-pg needs one of CloudNativePG's PostgreSQL images (ghcr.io/cloudnative-pg/postgresql:<version>-system-<os>): its instances run as uid 26 and archive WAL with barman-cloud, which the official image lacks; unset postgres.image to use the pinned one");
    }
    if (!isSqlIdentifier(pg.database) || CNPG_RESERVED_DATABASES.includes(pg.database)) {
        problems.add("postgres.database", pg.database, `must be a lowercase SQL identifier other than ${CNPG_RESERVED_DATABASES.join(", ")} (CloudNativePG keeps those)`);
    }
    if (!isSqlIdentifier(pg.user) || CNPG_RESERVED_ROLES.includes(pg.user)) {
        problems.add("postgres.user", pg.user, `must be a lowercase SQL identifier other than ${CNPG_RESERVED_ROLES.join(", ")} (CloudNativePG keeps those)`);
    }
    // The webhook reads the major from the tag (refusing `latest`, a digest alone, or a tag that starts with no version);
    // CloudNativePG 1.30 supports PostgreSQL 14 to 18 (its docs; the webhook itself refuses below 13).
    const tag = imageTag(pg.image);
    const major = tag ? /^(\d+)(?:[.-]|$)/.exec(tag)?.[1] : undefined;
    if (major === undefined) {
        problems.add("postgres.image", pg.image, "postgres.mode cloudnative-pg: the tag must start with the PostgreSQL version (such as 18.6-system-trixie): CloudNativePG reads the major from it");
    } else if (Number(major) < CNPG_MAJORS.min || Number(major) > CNPG_MAJORS.max) {
        problems.add("postgres.image", pg.image, `postgres.mode cloudnative-pg runs PostgreSQL ${CNPG_MAJORS.min} to ${CNPG_MAJORS.max} (CloudNativePG 1.30)`);
    }
    // The Cluster is <instanceName>-postgres, which the operator's webhook wants as a DNS-1035 label: a letter first
    // (its length is within the 50 allowed: instanceName has at most 30 characters).
    if (/^[0-9]/.test(c.instanceName)) {
        problems.add("instanceName", c.instanceName, `with postgres.mode cloudnative-pg must start with a letter: the Cluster ${c.instanceName}-postgres must be a DNS-1035 label`);
    }
    const n = pg.cloudnativePg.instances;
    if (!Number.isInteger(n) || n < 1) problems.add("postgres.cloudnativePg.instances", n, "must be 1 or more: one primary and instances-1 streaming replicas (3 survive the loss of a node)");
    if (!isDnsLabel(pg.cloudnativePg.operatorNamespace)) problems.add("postgres.cloudnativePg.operatorNamespace", pg.cloudnativePg.operatorNamespace, "must be the namespace the CloudNativePG operator runs in (a DNS-1123 label; the cluster-addons project uses cnpg-system)");
}

export function checkMongo(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    if (storeConfiguredInCluster(c, "mongo")) checkInCluster(c, problems, ctx, "mongo");
    else checkPort(problems, "mongo.external.port", c.mongo.external.port);
}

export function checkRedis(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const r = c.redis;
    if (!r.enabled) return;
    if (storeConfiguredInCluster(c, "redis")) {
        checkInCluster(c, problems, ctx, "redis");
        return;
    }
    if (!isDnsSubdomain(r.external.host)) problems.add("redis.external.host", r.external.host, "redis.mode is external: must be the Redis host name");
    checkPort(problems, "redis.external.port", r.external.port);
}

export function checkObjectStorage(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const os = c.objectStorage;
    if (os.mode === "standalone" && os.replicas !== 1) problems.add("objectStorage.replicas", os.replicas, "must be 1 in standalone mode; use mode distributed for 4 or more");
    if (os.mode === "distributed" && (!Number.isInteger(os.replicas) || os.replicas < 4 || os.replicas > 16)) {
        problems.add("objectStorage.replicas", os.replicas, "distributed object storage needs 4 to 16 replicas (erasure coding)");
    }
    if (storeConfiguredInCluster(c, "objectStorage")) {
        checkInCluster(c, problems, ctx, "objectStorage");
        return;
    }
    if (os.external.endpoint === "") problems.add("objectStorage.external.endpoint", "", c.profile === "cloud"
        // The cloud profile chose external for the stack: say why, and what the other way is.
        ? "objectStorage.mode is external (the cloud profile's default: MinIO's community images get no more security fixes): set the S3-compatible store's host (without https://), with minioAccessKey and minioSecretKey as secrets; or set objectStorage.mode to distributed to run MinIO in the cluster"
        : "objectStorage.mode is external: set the S3 endpoint host (without https://)");
    else if (!isDnsSubdomain(os.external.endpoint)) problems.add("objectStorage.external.endpoint", os.external.endpoint, "must be a host name only, without scheme, port or path");
    else {
        const global = GLOBAL_BUCKET_NAMESPACES.find((g) => g.host.test(os.external.endpoint));
        if (global) {
            problems.add("objectStorage.external.endpoint", os.external.endpoint,
                `${global.service} names buckets in one namespace shared by all its customers, and the0 1.14 creates fixed bucket names (${THE0_BUCKETS.join(", ")}) that are not yours there; use a store with buckets per account (MinIO, Ceph RGW, Cloudflare R2, ...) or the in-cluster MinIO`);
        }
    }
    checkPort(problems, "objectStorage.external.port", os.external.port);
}

/** the0 1.14's buckets: the api and the runtime create them by these names, which no setting changes. */
const THE0_BUCKETS = ["custom-bots", "bot-logs", "bot-state", "query-results"];

/** S3-compatible services whose bucket names are global: the0's fixed names belong to someone else there. */
const GLOBAL_BUCKET_NAMESPACES: ReadonlyArray<{ service: string; host: RegExp }> = [
    { service: "Amazon S3", host: /(^|\.)amazonaws\.com(\.cn)?$/ },
    { service: "Google Cloud Storage", host: /(^|\.)googleapis\.com$/ },
    { service: "Backblaze B2", host: /(^|\.)backblazeb2\.com$/ },
    { service: "Wasabi", host: /(^|\.)wasabisys\.com$/ },
    { service: "DigitalOcean Spaces", host: /(^|\.)digitaloceanspaces\.com$/ },
];

export function checkNats(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    const n = c.nats;
    if (n.auth) {
        problems.add("nats.auth", true, "must be false: the0 1.14's api connects to NATS with nats.js and sends no credentials, so it would stop at start-up; NetworkPolicies keep port 4222 to the services that use NATS");
    }
    if (!storeConfiguredInCluster(c, "nats")) return;
    if (!NATS_CLUSTER_SIZES.includes(n.replicas)) problems.add("nats.replicas", n.replicas, "must be 1, 3 or 5 (a JetStream cluster needs an odd quorum)");
    checkInCluster(c, problems, ctx, "nats");
    checkNatsMemoryStore(c, problems);
}

/** The memory store must hold the0's log stream and fit under the container's memory limit. */
function checkNatsMemoryStore(c: PlatformConfig, problems: Problems): void {
    const n = c.nats;
    if (!isByteQuantity(n.memoryStoreSize)) {
        problems.add("nats.memoryStoreSize", n.memoryStoreSize, "must be a Kubernetes byte quantity such as 256Mi");
    } else if (parseQuantity(n.memoryStoreSize) < MIN_NATS_MEMORY_STORE) {
        problems.add("nats.memoryStoreSize", n.memoryStoreSize, "must be at least 128Mi: the0's THE0_BOT_LOGS stream keeps 128 MB in memory");
    } else if (isByteQuantity(n.resources.limits.memory) && parseQuantity(n.memoryStoreSize) >= parseQuantity(n.resources.limits.memory)) {
        problems.add("nats.memoryStoreSize", n.memoryStoreSize, `must be below nats.resources.limits.memory (${n.resources.limits.memory})`);
    }
}

function isSqlIdentifier(v: string): boolean {
    return /^[a-z_][a-z0-9_]{0,62}$/.test(v);
}
