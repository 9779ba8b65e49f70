// Parsing: a stack's raw values (strings, as Pulumi stores them) -> typed values, checked against
// the schema's types and shapes (shapes.ts): unknown keys and fields, wrong types, words not allowed.
// An unknown key or field is reported without its value: it may be a mistyped secret.
import type { AddonsOutputs } from "./addons";
import { NOT_SHOWN, Problems } from "./problems";
import { CONFIG_SCHEMA, ConfigKeySpec, RETIRED } from "./schema";
import { Shape } from "./shapes";

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

/** What the loader hands the resolver. */
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
    /** The outputs of the add-ons stack `addonsStack` names, once read (load.ts). */
    addons?: AddonsOutputs;
}

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

export function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isWords(leaf: unknown): leaf is readonly string[] {
    return Array.isArray(leaf);
}

/**
 * Drops (and reports) unknown fields, fields of the wrong type and words not allowed. Shared with the
 * cluster-addons project's config: one way to read an object key in both projects.
 */
export function checkShape(value: Obj, shape: Shape, path: string, problems: Problems): Obj {
    const out: Obj = {};
    for (const [field, v] of Object.entries(value)) {
        const key = `${path}.${field}`;
        const want = shape[field];
        if (want === undefined) {
            problems.add(key, NOT_SHOWN, RETIRED[key] ?? `unknown key; allowed: ${Object.keys(shape).join(", ")}`);
        } else if (isWords(want)) {
            // "" means "not set", like the "" defaults in Pulumi.yaml.
            if (typeof v === "string" && (v === "" || want.includes(v))) out[field] = v;
            else problems.add(key, v, `must be one of ${want.join(", ")}`);
        } else if (want === "stringMap") {
            if (isObj(v) && Object.values(v).every((x) => typeof x === "string")) out[field] = v;
            else problems.add(key, v, "must be a map of strings (name: value)");
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

export function parseAll(raw: RawConfig, problems: Problems): Map<string, Json> {
    const parsed = new Map<string, Json>();
    const known = new Set(CONFIG_SCHEMA.map((s) => s.key));
    for (const key of Object.keys(raw.values)) {
        if (RETIRED[key] !== undefined) problems.add(key, NOT_SHOWN, RETIRED[key]);
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

