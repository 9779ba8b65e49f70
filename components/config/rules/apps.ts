// Rules for the app services: images, replicas, resources, autoscaling, what must stay on.
import { CATALOG, CatalogEntry } from "../../model/catalog";
import { APP_SERVICES } from "../../model/basics";
import { Problems } from "../problems";
import { AppServiceSettings, PlatformConfig } from "../types";
import { checkImageRef, checkResources, ValidationContext } from "./common";

export function checkApps(c: PlatformConfig, problems: Problems, ctx: ValidationContext): void {
    for (const key of APP_SERVICES) {
        const a = c.apps[key];
        if (!a.enabled) continue;
        const entry = CATALOG.find((e) => e.key === key)!;
        const k = `apps.${key}`;
        if (a.image === "") problems.add(`${k}.image`, a.image, `is required to enable ${key}: it has no default image`);
        // An image derived from imageRegistry and version is checked on those keys (rules/general.ts), once.
        else if (a.image !== ctx.derivedImages[key]) checkImageRef(problems, `${k}.image`, a.image, c.profile);
        checkReplicas(problems, k, entry, a);
        checkResources(problems, `${k}.resources`, a.resources);
        if (a.autoscaling.enabled) checkAutoscaling(problems, k, entry, a);
    }
    if (!c.apps.api.enabled) problems.add("apps.api.enabled", false, "the api cannot be disabled: frontend and bot-controller depend on it");
}

function checkReplicas(problems: Problems, k: string, entry: CatalogEntry, a: AppServiceSettings): void {
    if (entry.singleton) {
        if (a.replicas !== 1) problems.add(`${k}.replicas`, a.replicas, "must be exactly 1: the bot-controller has no leader election");
        if (a.autoscaling.enabled) problems.add(`${k}.autoscaling.enabled`, true, "must be false: the bot-controller runs exactly one replica");
    } else if (!Number.isInteger(a.replicas) || a.replicas < 1 || a.replicas > 50) {
        problems.add(`${k}.replicas`, a.replicas, "must be an integer from 1 to 50");
    }
}

function checkAutoscaling(problems: Problems, k: string, entry: CatalogEntry, a: AppServiceSettings): void {
    const as = a.autoscaling;
    if (entry.workload !== "Deployment") problems.add(`${k}.autoscaling.enabled`, true, "autoscaling applies to Deployments only");
    if (as.minReplicas < 1) problems.add(`${k}.autoscaling.minReplicas`, as.minReplicas, "must be at least 1");
    if (as.maxReplicas < as.minReplicas) problems.add(`${k}.autoscaling.maxReplicas`, as.maxReplicas, `must be at least minReplicas (${as.minReplicas})`);
    if (as.targetCpuPercent < 1 || as.targetCpuPercent > 100) problems.add(`${k}.autoscaling.targetCpuPercent`, as.targetCpuPercent, "must be 1-100");
}
