// Turns the catalog's declarative value sources into concrete env vars and arguments.
import * as k8s from "@pulumi/kubernetes";
import { PlatformConfig } from "../config/types";
import { DataEndpoints, publicUrl, serviceUrl } from "../plan/endpoints";
import { appSecretEnv, SecretRevision, secretUrlEnv } from "../k8s/secretRefs";
import { PostgresClusterPlan } from "../plan/postgresCluster";
import { DataServiceKey } from "../model/dataServices";
import { SecretKey } from "../model/secretKeys";
import { CatalogEntry, Setting, ValueSource } from "../model/catalog";

export interface WiringContext {
    cfg: PlatformConfig;
    endpoints: DataEndpoints;
    /** Rolls a pod when the app Secret it reads is written. */
    secrets: SecretRevision;
    /** PostgreSQL under CloudNativePG: DATABASE_URL comes from the operator's Secret, not ours. */
    postgresCluster?: PostgresClusterPlan;
}

/** The variable the operator's connection string is read into before DATABASE_URL refers to it. */
export const OPERATOR_URI_ENV = "THE0_POSTGRES_OPERATOR_URI";

/** Whether a secret key is read from the app Secret (database-url is the operator's under CloudNativePG). */
function inAppSecret(ctx: WiringContext, key: SecretKey): boolean {
    return !(key === "database-url" && ctx.postgresCluster);
}

function secretEnvFor(ctx: WiringContext, name: string, key: SecretKey): k8s.types.input.core.v1.EnvVar[] {
    const pg = ctx.postgresCluster;
    if (pg && !inAppSecret(ctx, key)) return secretUrlEnv(name, OPERATOR_URI_ENV, pg.databaseUrl, pg.databaseUrl.query);
    return [appSecretEnv(ctx.cfg, name, key)];
}

export function settingValue(cfg: PlatformConfig, setting: Setting): string {
    switch (setting) {
        case "namespace":
            return cfg.kubernetes.namespace;
        case "rootAdminEmail":
            return cfg.rootAdminEmail;
        case "nodeEnv":
            return cfg.profile === "minikube" ? "development" : "production";
        case "version":
            return cfg.version;
        case "runtimeImage":
            return cfg.apps.botController.image;
        case "botImagePullPolicy":
            return cfg.botImagePullPolicy;
        case "gcSchedule":
            return cfg.gcSchedule;
    }
}

/** The plain value of a non-secret source. */
export function plainValue(ctx: WiringContext, from: Exclude<ValueSource, { secret: SecretKey }>): string {
    const { cfg, endpoints } = ctx;
    if ("value" in from) return from.value;
    if ("serviceUrl" in from) return serviceUrl(cfg, from.serviceUrl.service, from.serviceUrl.port);
    if ("publicUrl" in from) return publicUrl(cfg, from.publicUrl);
    if ("setting" in from) return settingValue(cfg, from.setting);
    const os = endpoints.objectStorage;
    switch (from.objectStorage) {
        case "host":
            return os.host;
        case "port":
            return String(os.port);
        case "hostPort":
            return `${os.host}:${os.port}`;
        case "useSsl":
            return String(os.useSsl);
    }
}

export function isDataServiceEnabled(cfg: PlatformConfig, key: DataServiceKey): boolean {
    return key === "redis" ? cfg.redis.enabled : true;
}

export function envFor(ctx: WiringContext, entry: CatalogEntry): k8s.types.input.core.v1.EnvVar[] {
    return entry.env
        .filter((e) => e.when === undefined || isDataServiceEnabled(ctx.cfg, e.when))
        .flatMap((e) => ("secret" in e.from ? secretEnvFor(ctx, e.name, e.from.secret) : [{ name: e.name, value: plainValue(ctx, e.from) }]));
}

export function argsFor(ctx: WiringContext, entry: CatalogEntry): string[] | undefined {
    return entry.args?.map((a) => {
        if ("secret" in a.from) throw new Error(`${entry.key}: ${a.flag} must not take a secret on the command line`);
        return `${a.flag}=${plainValue(ctx, a.from)}`;
    });
}

/** Secret keys a service reads: a pod that reads any rolls when the Secret is written. */
export function secretKeysOf(ctx: WiringContext, entry: CatalogEntry): SecretKey[] {
    return entry.env
        .filter((e) => e.when === undefined || isDataServiceEnabled(ctx.cfg, e.when))
        .flatMap((e) => ("secret" in e.from && inAppSecret(ctx, e.from.secret) ? [e.from.secret] : []));
}
