// Reads the committed stack files the way the Pulumi CLI hands config to the program.
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { storeConfiguredInCluster } from "../../components/config/facts";
import { resolveConfig } from "../../components/config/resolve";
import { CONFIG_SCHEMA } from "../../components/config/schema";
import { SecretConfigKey } from "../../components/config/secretRegistry";

export const PROJECT = "the0-infra";
const ROOT = join(__dirname, "..", "..");

/** The `config:` block of Pulumi.<stack>.yaml, keys without the project prefix, values as written. */
export function stackFileConfig(stack: string): Record<string, unknown> {
    const file = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(file.config ?? {}).map(([k, v]) => [k.replace(`${PROJECT}:`, ""), v]));
}

/** Pulumi.yaml's defaults of the non-secret keys, as config strings. */
export function projectDefaults(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const spec of CONFIG_SCHEMA) {
        if (!spec.secret) values[spec.key] = toConfigString(spec.default);
    }
    return values;
}

/** Raw config as the CLI hands it to the program: Pulumi.yaml defaults, then the stack's values. */
export function stackValues(stack: string): Record<string, string> {
    const values = projectDefaults();
    for (const [key, v] of Object.entries(stackFileConfig(stack))) values[key] = toConfigString(v);
    return values;
}

export function toConfigString(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

/** The keys of an external store: the user's to set, since nothing here can make them. */
export const EXTERNAL_STORE_KEYS: Partial<Record<SecretConfigKey, string>> = { minioAccessKey: "the0-example-access", minioSecretKey: "the0-example-secret-key-0123456789" };

/** The secrets a committed stack's file asks its user to set: the external object store's keys. */
export function handSetSecrets(stack: string): Partial<Record<SecretConfigKey, string>> {
    // Resolved with the keys set and as if unprotected, so that only the store's mode decides.
    const values = { ...stackValues(stack), protectDataVolumes: "false" };
    const cfg = resolveConfig({ project: PROJECT, stack, values, secretsProvided: Object.keys(EXTERNAL_STORE_KEYS) });
    return storeConfiguredInCluster(cfg, "objectStorage") ? {} : EXTERNAL_STORE_KEYS;
}
