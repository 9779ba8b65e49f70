// Names and labels shared by every object: the0's naming (<instanceName>-<component>) and the
// Kubernetes recommended labels.
import { PlatformConfig } from "../config/types";
import { imageTag } from "../model/basics";
import { CATALOG } from "../model/catalog";

export const PART_OF = "the0";
export const MANAGED_BY = "pulumi";

/** the0's `<fullname>-<component>`, e.g. the0-api. */
export function fullName(cfg: PlatformConfig, component: string): string {
    return `${cfg.instanceName}-${component}`;
}

/** The Secret with the0's keys: the user's existingSecret, or the one this program writes. */
export function appSecretName(cfg: PlatformConfig): string {
    return cfg.existingSecret !== "" ? cfg.existingSecret : fullName(cfg, "secrets");
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
    const version = versionOf(cfg, component);
    return {
        ...selectorLabels(cfg, component),
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": MANAGED_BY,
        // Not in selectors or volume claim templates (both immutable): a new version updates in place.
        ...(version ? { "app.kubernetes.io/version": version } : {}),
    };
}

/** Images of the data services, by component. */
function dataImage(cfg: PlatformConfig, component: string): string | undefined {
    switch (component) {
        case "postgres":
            return cfg.postgres.image;
        case "mongo":
            return cfg.mongo.image;
        case "redis":
            return cfg.redis.image;
        case "minio":
            return cfg.objectStorage.image;
        case "nats":
            return cfg.nats.image;
        default:
            return undefined;
    }
}

/**
 * `app.kubernetes.io/version`: the image tag of a component's image (the0's release for its own
 * services, the server's for a data service), the0's release for everything else; none when the
 * image is pinned by digest alone or the tag is not a valid label value.
 */
export function versionOf(cfg: PlatformConfig, component: string): string | undefined {
    const app = CATALOG.find((e) => e.component === component);
    const image = app ? cfg.apps[app.key].image : dataImage(cfg, component);
    if (image === undefined) return labelValue(cfg.version);
    const tag = imageTag(image);
    return tag ? labelValue(tag) : undefined;
}

function labelValue(v: string): string | undefined {
    return v.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(v) ? v : undefined;
}

/**
 * The server-side apply field manager of every object this stack owns: one stable name per stack
 * instead of the provider's random one per object, which is lost with a create that a killed
 * `pulumi up` left pending. With a stable name the next `up` re-applies as the same owner: no
 * conflict, no hand surgery. (The provider hands an existing object's fields from its old random
 * manager to this one on the first update.)
 */
export function fieldManager(cfg: PlatformConfig): string {
    return `pulumi-${cfg.project}-${cfg.stack}`.slice(0, 128);
}

/**
 * Annotations that make Pulumi the owner of what it declares: its field manager, and force on
 * conflicts, so a deploy wins over a hand edit of a field the program sets (`kubectl scale` of a
 * Deployment without an autoscaler, say) instead of failing on every later `up`. Fields the program
 * leaves alone (an HPA's replica count) stay with whoever sets them.
 */
export function ownership(cfg: PlatformConfig): Record<string, string> {
    return { "pulumi.com/patchFieldManager": fieldManager(cfg), "pulumi.com/patchForce": "true" };
}

/** ObjectMeta for a namespaced object of a component; `annotations` go beside the ownership ones. */
export function objectMeta(cfg: PlatformConfig, component: string, name = fullName(cfg, component), annotations: Record<string, string> = {}) {
    return { name, namespace: cfg.kubernetes.namespace, labels: labels(cfg, component), annotations: { ...ownership(cfg), ...annotations } };
}

/** ObjectMeta for an object outside our namespace (cluster-scoped, or in an add-on's namespace). */
export function foreignMeta(cfg: PlatformConfig, component: string, name: string, namespace?: string) {
    return { name, namespace, labels: labels(cfg, component), annotations: ownership(cfg) };
}

/**
 * ObjectMeta for a Service. Pulumi's Service await watches the endpoints and then waits 10 s for
 * them to settle, on every create; the workloads' own awaits already prove their pods Ready (and
 * the tests check every selector), so Services skip it.
 */
export function serviceMeta(cfg: PlatformConfig, component: string, name = fullName(cfg, component)) {
    return objectMeta(cfg, component, name, { "pulumi.com/skipAwait": "true" });
}


/** The cluster-wide DNS name of a Service (or a headless Service's pod, `<pod>.<headless>`) in our namespace. */
export function serviceFqdn(cfg: PlatformConfig, name: string): string {
    return `${name}.${cfg.kubernetes.namespace}.svc.cluster.local`;
}
