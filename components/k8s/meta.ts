// Names and labels shared by every object: the0's naming (<instanceName>-<component>) and the
// Kubernetes recommended labels.
import { PlatformConfig } from "../config/types";

export const PART_OF = "the0";
export const MANAGED_BY = "pulumi";

/** the0's `<fullname>-<component>`, e.g. the0-api. */
export function fullName(cfg: PlatformConfig, component: string): string {
    return `${cfg.instanceName}-${component}`;
}

/** Labels that select a component's pods; never change them (Deployment selectors are immutable). */
export function selectorLabels(cfg: PlatformConfig, component: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": PART_OF,
        "app.kubernetes.io/instance": cfg.instanceName,
        "app.kubernetes.io/component": component,
    };
}

/** The recommended label set for every object of a component. */
export function labels(cfg: PlatformConfig, component: string): Record<string, string> {
    return {
        ...selectorLabels(cfg, component),
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    };
}

/** ObjectMeta for a namespaced object of a component. */
export function objectMeta(cfg: PlatformConfig, component: string, name = fullName(cfg, component)) {
    return { name, namespace: cfg.kubernetes.namespace, labels: labels(cfg, component) };
}

/**
 * ObjectMeta for a Service. Pulumi's Service await watches the endpoints and then waits 10 s for
 * them to settle, on every create; the workloads' own awaits already prove their pods Ready (and
 * the tests check every selector), so Services skip it.
 */
export function serviceMeta(cfg: PlatformConfig, component: string, name = fullName(cfg, component)) {
    return { ...objectMeta(cfg, component, name), annotations: { "pulumi.com/skipAwait": "true" } };
}


/** The cluster-wide DNS name of a Service (or a headless Service's pod, `<pod>.<headless>`) in our namespace. */
export function serviceFqdn(cfg: PlatformConfig, name: string): string {
    return `${name}.${cfg.kubernetes.namespace}.svc.cluster.local`;
}
