// Parsing: a stack's raw values (strings, as Pulumi stores them) -> typed values, checked against
// the schema's types and shapes (shapes.ts): unknown keys and fields, wrong types, words not allowed.
// An unknown key or field is reported without its value: it may be a mistyped secret.
import type { AddonsOutputs } from "./addons";
import { NOT_SHOWN, Problems } from "./problems";
import { CHART_VALUES, CONFIG_SCHEMA, ConfigKeySpec, RETIRED } from "./schema";
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

/** A key whose name says it may hold a secret: its value is never shown. */
function secretLike(name: string): boolean {
    return /pass|secret|token|key|cred|auth|url|dsn/i.test(name);
}

/** What a problem shows of an unknown key's value: a plain value, unless the name is secret-like. */
function shown(name: string, value: unknown): unknown {
    // An object may hold anything, a password included: only a plain value is shown.
    return secretLike(name) || (typeof value === "object" && value !== null) ? NOT_SHOWN : value;
}

/** Edit distance (insert, delete, substitute), case-insensitive. */
function distance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let row = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const next = [i];
        for (let j = 1; j <= y.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        row = next;
    }
    return row[y.length];
}

/** The known name a mistyped one most likely meant: within two edits, or a third of its length for long names. */
export function nearest(word: string, known: readonly string[]): string | undefined {
    const limit = Math.max(2, Math.floor(word.length / 3));
    let best: { name: string; d: number } | undefined;
    for (const name of known) {
        const d = distance(word, name);
        if (d <= limit && (!best || d < best.d)) best = { name, d };
    }
    return best?.name;
}

/** An unknown top-level key: the key it most likely meant, or the object keys that have a field of that name. */
function unknownKeyAdvice(key: string, known: readonly string[]): string {
    const near = nearest(key, known);
    if (near) return `unknown config key; did you mean ${near}?`;
    const fields = CONFIG_SCHEMA.filter((s) => s.shape && Object.keys(s.shape).some((f) => f.toLowerCase() === key.toLowerCase())).map((s) => `${s.key}.${key}`);
    if (fields.length > 0) return `unknown config key; it is a field of an object key: ${fields.slice(0, 3).join(", ")}${fields.length > 3 ? ", ..." : ""} (set it with \`pulumi config set --path\`)`;
    return "unknown config key; see Pulumi.yaml for the keys this project reads";
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
            if (RETIRED[key] !== undefined) problems.add(key, NOT_SHOWN, RETIRED[key]);
            else {
                const near = nearest(field, Object.keys(shape));
                problems.add(key, shown(field, v), `unknown key; ${near ? `did you mean ${near}? ` : ""}allowed: ${Object.keys(shape).join(", ")}`);
            }
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
        else if (CHART_VALUES[key] !== undefined) problems.add(key, NOT_SHOWN, `is a value of the0's Helm chart, not a key of this program: ${CHART_VALUES[key]}`);
        else if (!known.has(key)) problems.add(key, shown(key, raw.values[key]), unknownKeyAdvice(key, [...known]));
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

