// Rules for scheduled backups: a schedule the API server accepts, a retention that ends, and a target
// that exists, can be reached with credentials, and is not the very store being backed up.
import { postgresOperated, storeConfiguredInCluster } from "../facts";
import { fullName } from "../../k8s/meta";
import { THE0_BUCKETS } from "../../model/backupStores";
import { cronProblem } from "../cron";
import { NOT_SHOWN, Problems, SECRET } from "../problems";
import { PlatformConfig } from "../types";
import { isDnsSubdomain } from "../validate";
import { checkImageRef, checkResources } from "./common";

/** S3 bucket naming rules (AWS's, which MinIO follows): 3-63 characters, lowercase, digits, dots, hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const MIN_DEADLINE_SECONDS = 60;

export function checkBackups(c: PlatformConfig, problems: Problems): void {
    const b = c.backups;
    if (!b.enabled) {
        for (const key of ["backupAccessKey", "backupSecretKey"] as const) {
            if (c.secretsProvided.has(key)) problems.add(key, SECRET, "only applies when backups.enabled is true");
        }
        return;
    }
    const why = cronProblem(b.schedule);
    if (why) problems.add("backups.schedule", b.schedule, `must be a cron schedule the API server accepts (it ${why})`);
    checkRetention(c, problems);
    checkTarget(c, problems);
    checkImageRef(problems, "backups.clientImage", b.clientImage, c.profile);
    checkResources(problems, "backups.resources", b.resources);
    if (!Number.isInteger(b.deadlineSeconds) || b.deadlineSeconds < MIN_DEADLINE_SECONDS) {
        problems.add("backups.deadlineSeconds", b.deadlineSeconds, `must be a whole number of seconds, at least ${MIN_DEADLINE_SECONDS}`);
    }
}

function checkRetention(c: PlatformConfig, problems: Problems): void {
    const r = c.backups.retention;
    for (const field of ["count", "maxAgeDays"] as const) {
        if (!Number.isInteger(r[field]) || r[field] < 0) problems.add(`backups.retention.${field}`, r[field], "must be a whole number, 0 for no limit");
    }
    if (r.count === 0 && r.maxAgeDays === 0) {
        problems.add("backups.retention", r, "must limit the backups kept (count, maxAgeDays or both): without a limit they grow until the target is full");
    }
}

function checkTarget(c: PlatformConfig, problems: Problems): void {
    const t = c.backups.target;
    if (t.kind === "s3" && t.endpoint === "" && t.existingSecret === "" && !c.secretsProvided.has("backupAccessKey") && !c.secretsProvided.has("backupSecretKey")) {
        // Nothing said about a target at all (a cloud stack's default): one problem, with what to set.
        problems.add("backups.target", "(unset)",
            "backups are on for this stack (profile cloud) and need a place outside the cluster: set backups.target.endpoint (an S3 URL) and backups.target.bucket, " +
            "and the keys (`pulumi config set --secret backupAccessKey`/`backupSecretKey`, or a Secret of yours in backups.target.existingSecret); or set backups.enabled false");
        return;
    }
    if (t.prefix !== "" && !PREFIX.test(t.prefix)) problems.add("backups.target.prefix", t.prefix, "must be empty or path segments of letters, digits, . _ - joined by / (no leading or trailing /)");
    if (!BUCKET.test(t.bucket) || t.bucket.includes("..")) {
        problems.add("backups.target.bucket", t.bucket, t.bucket === "" ? "is required: the bucket the backups go to" : "must be an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit");
    }
    if (t.kind === "inCluster") checkInClusterTarget(c, problems);
    else checkS3Target(c, problems);
}

/** A bucket in the in-cluster object storage: for trying backups on a laptop, never for a stack whose data matters. */
function checkInClusterTarget(c: PlatformConfig, problems: Problems): void {
    const t = c.backups.target;
    if (c.profile === "cloud") {
        problems.add("backups.target.kind", t.kind, "inCluster keeps the backups in the very object storage being backed up, where a lost volume or cluster takes them too: on a cloud stack set kind s3 with a store outside this cluster");
    }
    if (!storeConfiguredInCluster(c, "objectStorage")) problems.add("backups.target.kind", t.kind, "inCluster needs the in-cluster object storage, and objectStorage.mode is external: set kind s3");
    if ((THE0_BUCKETS as readonly string[]).includes(t.bucket)) problems.add("backups.target.bucket", t.bucket, `must not be one of the0's own buckets (${THE0_BUCKETS.join(", ")})`);
    for (const key of ["backupAccessKey", "backupSecretKey"] as const) {
        if (c.secretsProvided.has(key)) problems.add(key, SECRET, "only applies to backups.target.kind s3 (inCluster uses the object storage's own keys)");
    }
    if (t.endpoint !== "") problems.add("backups.target.endpoint", t.endpoint, "only applies to backups.target.kind s3");
    if (t.existingSecret !== "") problems.add("backups.target.existingSecret", t.existingSecret, "only applies to backups.target.kind s3");
    // CloudNativePG lets its instances read the Secret its archive credentials are in: the program gives them a Secret of
    // their own with the MinIO keys, which it can only do with keys it holds (not the user's existingSecret).
    if (postgresOperated(c) && c.existingSecret !== "") {
        problems.add("backups.target.kind", t.kind, "inCluster with postgres.mode cloudnative-pg and existingSecret would let PostgreSQL's pods read the whole existingSecret (the operator grants its instances the Secret their archive credentials are in): set kind s3 with a Secret of the target's keys only");
    }
}

function checkS3Target(c: PlatformConfig, problems: Problems): void {
    const t = c.backups.target;
    const url = parseEndpoint(t.endpoint);
    if (typeof url === "string") problems.add("backups.target.endpoint", t.endpoint.includes("@") ? NOT_SHOWN : t.endpoint, url);
    else {
        if (url.protocol === "http:" && c.profile !== "minikube") problems.add("backups.target.endpoint", t.endpoint, "must use https outside the minikube profile: the backups and the target's keys would cross the network in clear");
        // The in-cluster object storage under another name (its Service): the very store being backed up.
        const minio = fullName(c, "minio");
        if (c.profile === "cloud" && storeConfiguredInCluster(c, "objectStorage") && (url.hostname === minio || url.hostname.startsWith(`${minio}.`))) {
            problems.add("backups.target.endpoint", t.endpoint, "is the in-cluster object storage being backed up: a backup must live outside the store it protects");
        }
    }
    const has = (k: "backupAccessKey" | "backupSecretKey") => c.secretsProvided.has(k);
    if (t.existingSecret !== "") {
        if (!isDnsSubdomain(t.existingSecret)) problems.add("backups.target.existingSecret", t.existingSecret, "must be a Secret name (DNS subdomain) holding keys access-key and secret-key");
        for (const key of ["backupAccessKey", "backupSecretKey"] as const) {
            if (has(key)) problems.add(key, SECRET, "is ignored when backups.target.existingSecret is set; put it into that Secret or unset existingSecret");
        }
    } else {
        for (const key of ["backupAccessKey", "backupSecretKey"] as const) {
            if (!has(key)) problems.add(key, "(unset)", `backups.target.kind is s3: set it with \`pulumi config set --secret ${key}\`, or name a Secret of yours in backups.target.existingSecret`);
        }
    }
}

/** The endpoint as a URL, or why it is not one the MinIO client can use. */
function parseEndpoint(endpoint: string): URL | string {
    if (endpoint === "") return "is required with backups.target.kind s3: the S3 endpoint URL, such as https://s3.eu-west-1.amazonaws.com";
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return "must be an http(s) URL such as https://s3.eu-west-1.amazonaws.com";
    }
    // Shown only as [not shown] when it carries credentials, which belong in the secret keys.
    if (url.username !== "" || url.password !== "") return "must not carry credentials: set backupAccessKey and backupSecretKey (secrets) instead";
    if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL such as https://s3.eu-west-1.amazonaws.com";
    if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") return "must be the endpoint alone (scheme, host, port): the bucket and prefix are their own keys";
    return url;
}
