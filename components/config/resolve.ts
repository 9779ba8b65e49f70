// Raw stack config (strings, as Pulumi stores them) -> one validated, frozen PlatformConfig:
// parse (parse.ts), profile defaults with the stack's overrides merged field by field (here), then
// the rules by concern (rules/). Pure: no Pulumi runtime, so every rule runs before any resource.
import { AppServiceKey, PROFILES, Profile } from "../model/basics";
import { generatedCredentials } from "./credentials";
import { CATALOG } from "../model/catalog";
import { isObj, Obj, parseAll, RawConfig } from "./parse";
import { Problems } from "./problems";
import { DATA_IMAGES, PROFILE_DEFAULTS, THE0_VERSION } from "./profiles";
import { ValidationContext } from "./rules/common";
import { checkApps } from "./rules/apps";
import { checkBackups } from "./rules/backups";
import { checkMonitoring } from "./rules/monitoring";
import { checkData } from "./rules/data";
import { checkExposure } from "./rules/exposure";
import { checkGeneral } from "./rules/general";
import { checkSecrets } from "./rules/secrets";
import { AppServiceSettings, PlatformConfig, PullPolicy } from "./types";
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

    const profileValue = s("profile") ?? "minikube";
    const profileKnown = (PROFILES as readonly string[]).includes(profileValue);
    if (!profileKnown) problems.add("profile", profileValue, `must be one of ${PROFILES.join(", ")}`);
    const profile: Profile = profileKnown ? (profileValue as Profile) : "minikube";
    const d = PROFILE_DEFAULTS[profile];

    const secretsProvided = new Set<SecretConfigKey>(
        raw.secretsProvided.filter((k): k is SecretConfigKey => (SECRET_CONFIG_KEYS as readonly string[]).includes(k)),
    );

    const version = s("version") ?? THE0_VERSION;
    const registry = s("imageRegistry") ?? "ghcr.io/alexanderwanyoike/the0";
    const imagePullPolicy = (s("imagePullPolicy") ?? d.imagePullPolicy) as PullPolicy;
    const storageClass = s("storageClass") ?? d.storageClass;
    const domain = s("domain") ?? d.domain;

    const apps = {} as Record<AppServiceKey, AppServiceSettings>;
    const appsOverride = o("apps");
    for (const entry of CATALOG) {
        const override = isObj(appsOverride?.[entry.key]) ? (appsOverride![entry.key] as Obj) : undefined;
        const merged = mergeOverrides<AppServiceSettings>({
            enabled: entry.defaultEnabled,
            image: entry.defaultImage ? `${registry}/${entry.defaultImage}:${version}` : "",
            ...entry.sizing[profile],
        }, override);
        // An extra without a default image turns on when it is given one.
        if (!entry.defaultImage && override?.enabled === undefined && merged.image !== "") merged.enabled = true;
        apps[entry.key] = merged;
    }

    const objectStorageOverride = o("objectStorage");
    const objectStorage = mergeOverrides({ ...d.objectStorage, image: DATA_IMAGES.minio, storageClass }, objectStorageOverride);
    if (objectStorageOverride?.replicas === undefined) {
        // Changing the mode alone picks that mode's natural size.
        if (objectStorage.mode === "standalone") objectStorage.replicas = 1;
        if (objectStorage.mode === "distributed") objectStorage.replicas = Math.max(4, objectStorage.replicas);
    }

    const ingress = mergeOverrides({
        ...d.ingress,
        hosts: { frontend: domain, api: domain ? `api.${domain}` : "", docs: domain ? `docs.${domain}` : "" },
    }, o("ingress"));

    const cfg: PlatformConfig = {
        project: raw.project,
        stack: raw.stack,
        profile,
        kubernetes: { context: s("kubeContext") ?? "", namespace: s("namespace") ?? "the0" },
        instanceName: s("instanceName") ?? "the0",
        domain,
        version,
        imagePullPolicy,
        botImagePullPolicy: (s("botImagePullPolicy") ?? imagePullPolicy) as PullPolicy,
        rootAdminEmail: s("rootAdminEmail") ?? d.rootAdminEmail,
        existingSecret: s("existingSecret") ?? "",
        apps,
        gcSchedule: s("gcSchedule") ?? "*/5 * * * *",
        postgres: mergeOverrides({ ...d.postgres, image: DATA_IMAGES.postgres, storageClass }, o("postgres")),
        mongo: mergeOverrides({ ...d.mongo, image: DATA_IMAGES.mongo, storageClass }, o("mongo")),
        redis: mergeOverrides({ ...d.redis, image: DATA_IMAGES.redis, storageClass }, o("redis")),
        objectStorage,
        nats: mergeOverrides({ ...d.nats, image: DATA_IMAGES.nats, storageClass }, o("nats")),
        nodePorts: mergeOverrides(d.nodePorts, o("nodePorts")),
        ingress,
        ha: mergeOverrides(d.ha, o("ha")),
        backups: mergeOverrides({ ...d.backups, clientImage: DATA_IMAGES.mc }, o("backups")),
        monitoring: mergeOverrides(d.monitoring, o("monitoring")),
        networkPolicies: p.get("networkPolicies") !== false,
        protectDataVolumes: p.get("protectDataVolumes") === true,
        secretsProvided,
    };

    const ctx: ValidationContext = { storageClass, derivedHosts: { frontend: domain, api: `api.${domain}`, docs: `docs.${domain}` } };
    checkGeneral(cfg, problems, ctx);
    checkApps(cfg, problems);
    checkData(cfg, problems, ctx);
    checkExposure(cfg, problems, ctx);
    checkBackups(cfg, problems);
    checkMonitoring(cfg, problems);
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
