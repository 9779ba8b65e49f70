// Which secret config keys a stack needs, decided once: the rules report what is missing and the
// app Secret builds its connection strings from the same answer.
import { randomInt } from "crypto";
import { postgresOperated, storeConfiguredInCluster, storeEnabled } from "./facts";
import { PlatformConfig } from "./types";
import { GenerateWhen, SECRET_CONFIG_REGISTRY, SecretConfigKey, secretSpecs } from "./secretRegistry";

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
    | "missing"
    /** CloudNativePG generates the role's password and writes the connection string into a Secret of its own. */
    | "operator";

export const DATABASE_SECRET_KEYS = {
    postgres: { password: "postgresPassword", url: "postgresUrl" },
    mongo: { password: "mongoRootPassword", url: "mongoUrl" },
} as const satisfies Record<string, { password: SecretConfigKey; url: SecretConfigKey }>;

export function databaseCredentials(cfg: PlatformConfig, db: keyof typeof DATABASE_SECRET_KEYS): Credentials {
    if (db === "postgres" && postgresOperated(cfg)) return "operator";
    if (cfg.existingSecret !== "") return "existingSecret";
    const keys = DATABASE_SECRET_KEYS[db];
    const has = (k: SecretConfigKey) => cfg.secretsProvided.has(k);
    if (storeConfiguredInCluster(cfg, db)) return has(keys.password) ? "password" : "generated";
    if (has(keys.url)) return "url";
    if (cfg[db].external.host !== "" && has(keys.password)) return "password";
    return "missing";
}

/**
 * The secret keys @pulumi/random generates for this stack because nobody set them (none with an
 * existing Secret). On a stack that keeps its data across destroy (protectDataVolumes) that is
 * refused: a generated value lives in the stack's state, and the up after a destroy makes a new one,
 * which MongoDB and MinIO, keeping the credentials they first started with, do not know (PostgreSQL
 * re-applies its password at start, but the0's admin and sessions would change too).
 */
export function generatedCredentials(cfg: PlatformConfig): SecretConfigKey[] {
    if (cfg.existingSecret !== "") return [];
    return secretSpecs()
        .filter((s) => s.generated !== undefined && generationApplies(cfg, s.generated.when) && !cfg.secretsProvided.has(s.key))
        .map((s) => s.key);
}

function generationApplies(cfg: PlatformConfig, when: GenerateWhen): boolean {
    if (when === "always") return true;
    if ("inCluster" in when) return storeConfiguredInCluster(cfg, when.inCluster);
    return storeEnabled(cfg, when.enabled);
}

/**
 * How long a generated value of `key` is (letters and digits only, so it fits every server and URL
 * unencoded), from the registry; `npm run stack:init` generates the same way.
 */
export function generatedLength(key: SecretConfigKey): number {
    const generated = SECRET_CONFIG_REGISTRY[key].generated;
    if (!generated) throw new Error(`${key} is never generated: the user sets it or nobody does`);
    return generated.length;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A value as @pulumi/random would generate it for `key`, for `npm run stack:init` to store in the stack's config. */
export function generateCredential(key: SecretConfigKey): string {
    return Array.from({ length: generatedLength(key) }, () => ALNUM[randomInt(ALNUM.length)]).join("");
}
