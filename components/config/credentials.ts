// Which secret config keys a stack needs, decided once: the rules report what is missing and the
// app Secret builds its connection strings from the same answer.
import { randomInt } from "crypto";
import { storeConfiguredInCluster } from "./facts";
import { PlatformConfig, SecretConfigKey } from "./types";

/** How a database's credentials reach the app Secret. */
export type Credentials =
    /** In the cluster and nobody set a password: @pulumi/random makes one. */
    | "generated"
    /** A configured password, from which the program builds the connection string. */
    | "password"
    /** A configured connection string, used verbatim. */
    | "url"
    /** The user's own Secret (existingSecret) holds everything. */
    | "existingSecret"
    /** External, and nothing says how to connect. */
    | "missing";

export const DATABASE_SECRET_KEYS = {
    postgres: { password: "postgresPassword", url: "postgresUrl" },
    mongo: { password: "mongoRootPassword", url: "mongoUrl" },
} as const satisfies Record<string, { password: SecretConfigKey; url: SecretConfigKey }>;

export function databaseCredentials(cfg: PlatformConfig, db: keyof typeof DATABASE_SECRET_KEYS): Credentials {
    if (cfg.existingSecret !== "") return "existingSecret";
    const keys = DATABASE_SECRET_KEYS[db];
    const has = (k: SecretConfigKey) => cfg.secretsProvided.has(k);
    if (storeConfiguredInCluster(cfg, db)) return has(keys.password) ? "password" : "generated";
    if (has(keys.url)) return "url";
    if (cfg[db].external.host !== "" && has(keys.password)) return "password";
    return "missing";
}

/**
 * Length of a value @pulumi/random generates for a key nobody set (letters and digits only, so it
 * fits every server and URL unencoded); `npm run stack:init` generates the same way.
 */
export const GENERATED_LENGTH: Readonly<Partial<Record<SecretConfigKey, number>>> = {
    postgresPassword: 32,
    mongoRootPassword: 32,
    redisPassword: 32,
    minioAccessKey: 20,
    minioSecretKey: 40,
    jwtSecret: 48,
    rootAdminPassword: 24,
};

/**
 * The secret keys @pulumi/random generates for this stack because nobody set them (none with an
 * existing Secret). On a stack that keeps its data across destroy (protectDataVolumes) that is
 * refused: a generated value lives in the stack's state, and the up after a destroy makes a new one,
 * which MongoDB and MinIO, keeping the credentials they first started with, do not know (PostgreSQL
 * re-applies its password at start, but the0's admin and sessions would change too).
 */
export function generatedCredentials(cfg: PlatformConfig): SecretConfigKey[] {
    if (cfg.existingSecret !== "") return [];
    // What AppSecrets makes a value for, in the order of the Secret.
    const used: Array<[SecretConfigKey, boolean]> = [
        ["postgresPassword", storeConfiguredInCluster(cfg, "postgres")],
        ["mongoRootPassword", storeConfiguredInCluster(cfg, "mongo")],
        ["minioAccessKey", true],
        ["minioSecretKey", true],
        ["jwtSecret", true],
        ["rootAdminPassword", true],
        ["redisPassword", cfg.redis.enabled],
    ];
    return used.filter(([key, needed]) => needed && !cfg.secretsProvided.has(key)).map(([key]) => key);
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A value as @pulumi/random would generate it for `key`, for `npm run stack:init` to store in the stack's config. */
export function generateCredential(key: SecretConfigKey): string {
    return Array.from({ length: GENERATED_LENGTH[key] ?? 32 }, () => ALNUM[randomInt(ALNUM.length)]).join("");
}
