// Rules for secret config keys: what each data service needs (credentials.ts decides it once),
// what a value must look like for the servers and the0 (secretRules.ts), what existingSecret makes
// moot, and that secrets are set with --secret. No message shows a secret.
import { storeConfiguredInCluster } from "../facts";
import { DATABASE_SECRET_KEYS, databaseCredentials, generatedCredentials } from "../credentials";
import { NOT_SHOWN, Problems, SECRET } from "../problems";
import { PlatformConfig } from "../types";
import { SecretConfigKey } from "../secretRegistry";
import { isDnsSubdomain } from "../validate";

/** the0's API refuses a shorter THE0_ADMIN_PASSWORD (api/src/common/password-policy.ts). */
const MIN_ADMIN_PASSWORD = 6;

/** What the loader knows about the secret values (never the values themselves). */
export interface SecretFacts {
    plaintext: readonly string[];
    lengths: Readonly<Partial<Record<string, number>>>;
    /** Rules a provided value breaks (secretRules.ts), worded without it. */
    problems: Readonly<Partial<Record<string, readonly string[]>>>;
}

export function checkSecrets(c: PlatformConfig, problems: Problems, facts: SecretFacts): void {
    checkExistingSecret(c, problems);
    checkDatabases(c, problems);
    checkObjectStorageKeys(c, problems);
    checkNatsUrl(c, problems);
    checkValues(c, problems, facts);
    checkProtectedCredentials(c, problems);
    for (const key of facts.plaintext) problems.add(key, NOT_SHOWN, plaintextSecretAdvice(c.stack, key));
}

function checkExistingSecret(c: PlatformConfig, problems: Problems): void {
    if (c.existingSecret === "") return;
    if (!isDnsSubdomain(c.existingSecret)) problems.add("existingSecret", c.existingSecret, "must be a Secret name (DNS subdomain)");
    // The backup target's keys are not the app Secret's: they go into a Secret of their own (rules/backups.ts).
    const appKeys = [...c.secretsProvided].filter((k) => k !== "backupAccessKey" && k !== "backupSecretKey");
    for (const k of appKeys) problems.add(k, SECRET, "is ignored when existingSecret is set; put the value into that Secret or unset existingSecret");
}

/** An external database needs a connection string, or a host and a password; a URL only applies to one. */
function checkDatabases(c: PlatformConfig, problems: Problems): void {
    for (const db of ["postgres", "mongo"] as const) {
        const keys = DATABASE_SECRET_KEYS[db];
        if (databaseCredentials(c, db) === "operator") {
            // CloudNativePG makes the role's password and the connection string; a value here would be ignored.
            for (const key of [keys.url, keys.password]) {
                if (c.secretsProvided.has(key)) problems.add(key, SECRET, `does not apply to ${db}.mode cloudnative-pg: the operator generates the password and writes the connection string into the Secret <cluster>-app; unset it`);
            }
            continue;
        }
        if (storeConfiguredInCluster(c, db)) {
            if (c.secretsProvided.has(keys.url)) problems.add(keys.url, SECRET, `only applies to ${db}.mode external`);
            continue;
        }
        if (databaseCredentials(c, db) !== "missing") continue;
        if (c[db].external.host === "") {
            problems.add(`${db}.external.host`, "", `${db}.mode is external: set ${keys.url} (secret), ${db}.external.host with ${keys.password}, or existingSecret`);
        } else {
            problems.add(keys.password, "(unset)", `is required with ${db}.external.host`);
        }
    }
}

/** Data kept across destroy needs credentials kept across destroy: in the stack's config, not its state. */
function checkProtectedCredentials(c: PlatformConfig, problems: Problems): void {
    if (!c.protectDataVolumes) return;
    for (const key of generatedCredentials(c)) {
        problems.add(key, "(unset)",
            `protectDataVolumes keeps the data across destroy, so the stack's credentials must outlive its state: a generated value ` +
            `would be replaced by a new one after destroy and up, which MongoDB and MinIO, keeping the ones they first started with, would refuse. ` +
            `Set it once: \`npm run stack:init -- ${c.stack}\` stores every missing one (the value a deployed stack already uses), ` +
            `or \`pulumi config set --secret ${key}\``);
    }
}

function checkObjectStorageKeys(c: PlatformConfig, problems: Problems): void {
    if (storeConfiguredInCluster(c, "objectStorage") || c.existingSecret !== "") return;
    const has = (k: SecretConfigKey) => c.secretsProvided.has(k);
    if (!has("minioAccessKey") || !has("minioSecretKey")) {
        problems.add("minioAccessKey", has("minioAccessKey") ? SECRET : "(unset)", "external object storage needs minioAccessKey and minioSecretKey (secrets) or existingSecret");
    }
}

function checkNatsUrl(c: PlatformConfig, problems: Problems): void {
    const has = c.secretsProvided.has("natsUrl");
    const inCluster = storeConfiguredInCluster(c, "nats");
    if (inCluster && has) problems.add("natsUrl", SECRET, "only applies to nats.mode external");
    if (!inCluster && !has && c.existingSecret === "") {
        problems.add("natsUrl", "(unset)", "nats.mode is external: set natsUrl (secret) to the JetStream-enabled server URL(s), or existingSecret");
    }
}

/** What the servers and the0 accept of a value, and the0's admin password policy. */
function checkValues(c: PlatformConfig, problems: Problems, facts: SecretFacts): void {
    const adminLength = facts.lengths.rootAdminPassword;
    if (adminLength !== undefined && adminLength < MIN_ADMIN_PASSWORD) {
        problems.add("rootAdminPassword", SECRET, `must be at least ${MIN_ADMIN_PASSWORD} characters: the0's API refuses to start with a shorter THE0_ADMIN_PASSWORD`);
    }
    for (const [key, rules] of Object.entries(facts.problems)) {
        // MinIO's own key rules bind the in-cluster server only; an external S3 has its own.
        if ((key === "minioAccessKey" || key === "minioSecretKey") && !storeConfiguredInCluster(c, "objectStorage")) continue;
        for (const rule of rules ?? []) problems.add(key, SECRET, rule);
    }
}

/**
 * By the time the program sees a plaintext secret, the CLI has already written it in clear to the
 * stack file: say so, and how to get it out and replace it.
 */
export function plaintextSecretAdvice(stack: string, key: string): string {
    return `is a secret but was set in plaintext, so its value is now written in clear in Pulumi.${stack}.yaml ` +
        `(and in version control if that file was committed): remove it with \`pulumi config rm ${key}\`, ` +
        `treat the value as exposed and choose a new one, then \`pulumi config set --secret ${key} <new value>\``;
}
