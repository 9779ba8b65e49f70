// Reads the committed stack files the way the Pulumi CLI hands config to the program.
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { CONFIG_SCHEMA } from "../../components/config/schema";

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

