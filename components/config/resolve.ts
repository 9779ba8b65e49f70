// Raw stack config (strings, as Pulumi stores them) -> one validated, frozen PlatformConfig:
// parse (parse.ts), profile defaults with the stack's overrides merged field by field (here), then
// the rules by concern (rules/). Pure: no Pulumi runtime, so every rule runs before any resource.
import { PROFILES, Profile } from "../model/basics";
import { CATALOG } from "../model/catalog";
import { generatedCredentials } from "./credentials";
import { isObj, Obj, parseAll, RawConfig } from "./parse";
import { Problems } from "./problems";
import { DefaultsContext, OBJECT_KEYS, ObjectKeyValues, scalarDefault } from "./schema";
import { ValidationContext } from "./rules/common";
import { checkGeneral } from "./rules/general";
import { checkSecrets } from "./rules/secrets";
import { PlatformConfig, PullPolicy } from "./types";
import { SECRET_CONFIG_KEYS, SecretConfigKey } from "./secretRegistry";

/**
 * Field-by-field override of `base` by an object the schema's shape already checked (so the
 * types match). An empty string means "not set", like the "" defaults in Pulumi.yaml.
 */
export function mergeOverrides<T extends object>(base: T, override: Obj | undefined): T {
    if (!override) return base;
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(override)) {
        const current = out[k];
        if (isObj(v) && typeof current === "object" && current !== null && !Array.isArray(current)) out[k] = mergeOverrides(current, v);
        else if (v !== "" && v !== null) out[k] = v;
    }
    return out as T;
}

export function resolveConfig(raw: RawConfig): PlatformConfig {
    const problems = new Problems(raw.project);
    const p = parseAll(raw, problems);
    const s = (key: string): string | undefined => {
        const v = p.get(key);
        return typeof v === "string" && v !== "" ? v : undefined;
    };
    const o = (key: string): Obj | undefined => {
        const v = p.get(key);
        return isObj(v) ? v : undefined;
    };

    const profileValue = s("profile") ?? scalarDefault("profile", "minikube");
    const profileKnown = (PROFILES as readonly string[]).includes(profileValue);
    if (!profileKnown) problems.add("profile", profileValue, `must be one of ${PROFILES.join(", ")}`);
    const profile: Profile = profileKnown ? (profileValue as Profile) : "minikube";
    const scalar = (key: string): string => s(key) ?? scalarDefault(key, profile);

    const secretsProvided = new Set<SecretConfigKey>(
        raw.secretsProvided.filter((k): k is SecretConfigKey => (SECRET_CONFIG_KEYS as readonly string[]).includes(k)),
    );

    const imagePullPolicy = scalar("imagePullPolicy") as PullPolicy;
    const storageClass = scalar("storageClass");
    const domain = scalar("domain");

    // Every object key: its defaults for this profile, the stack's own fields over them, then what follows.
    const defaults: DefaultsContext = { profile, addons: raw.addons ?? {}, storageClass, domain, registry: scalar("imageRegistry"), version: scalar("version") };
    const objects = Object.fromEntries(OBJECT_KEYS.map((spec) => {
        const override = o(spec.key);
        const merged = mergeOverrides(spec.defaults(defaults), override);
        return [spec.key, "settle" in spec && spec.settle ? (spec.settle as (m: unknown, o: Obj | undefined) => unknown)(merged, override) : merged];
    })) as ObjectKeyValues;

    const cfg: PlatformConfig = {
        project: raw.project,
        stack: raw.stack,
        profile,
        addonsStack: scalar("addonsStack"),
        kubernetes: { context: scalar("kubeContext"), namespace: scalar("namespace") },
        instanceName: scalar("instanceName"),
        domain,
        version: defaults.version,
        imagePullPolicy,
        botImagePullPolicy: (s("botImagePullPolicy") ?? imagePullPolicy) as PullPolicy,
        rootAdminEmail: scalar("rootAdminEmail"),
        existingSecret: scalar("existingSecret"),
        gcSchedule: scalar("gcSchedule"),
        ...objects,
        networkPolicies: p.get("networkPolicies") !== false,
        protectDataVolumes: p.get("protectDataVolumes") === true,
        secretsProvided,
    };

    const ctx: ValidationContext = {
        storageClass,
        derivedHosts: { frontend: domain, api: `api.${domain}`, docs: `docs.${domain}` },
        registry: defaults.registry,
        derivedImages: Object.fromEntries(CATALOG.filter((e) => e.defaultImage).map((e) => [e.key, `${defaults.registry}/${e.defaultImage}:${defaults.version}`])),
    };
    checkGeneral(cfg, problems, ctx);
    for (const spec of OBJECT_KEYS) if ("check" in spec && spec.check) spec.check(cfg, problems, ctx);
    checkSecrets(cfg, problems, { plaintext: raw.plaintextSecrets ?? [], lengths: raw.secretLengths ?? {}, problems: raw.secretProblems ?? {} });
    problems.throwIfAny(raw.stack);
    return deepFreeze(cfg);
}


/** Freezes an object and everything it holds (a Set of strings is left as it is). */
export function deepFreeze<T>(o: T): T {
    if (o && typeof o === "object" && !(o instanceof Set) && !Object.isFrozen(o)) {
        for (const v of Object.values(o as object)) deepFreeze(v);
        Object.freeze(o);
    }
    return o;
}

/**
 * The credentials `npm run stack:init` stores in a protected stack's config: those the program would
 * otherwise generate. Resolved as if unprotected, since their absence is exactly what validation
 * refuses on a protected stack; [] for a stack that does not protect its data.
 */
export function credentialsToStore(raw: RawConfig): SecretConfigKey[] {
    if (raw.values.protectDataVolumes !== "true") return [];
    return generatedCredentials(resolveConfig({ ...raw, values: { ...raw.values, protectDataVolumes: "false" } }));
}
