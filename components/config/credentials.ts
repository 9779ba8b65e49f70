// Which secret config keys a stack needs, decided once: the rules report what is missing and the
// app Secret builds its connection strings from the same answer.
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
    if (cfg[db].mode === "inCluster") return has(keys.password) ? "password" : "generated";
    if (has(keys.url)) return "url";
    if (cfg[db].external.host !== "" && has(keys.password)) return "password";
    return "missing";
}
