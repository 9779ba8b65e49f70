// Checks several rule sets share: resources, volumes, images, ports.
import { AppServiceKey, Profile, Resources } from "../../model/basics";
import { Problems } from "../problems";
import { DataVolume, IngressHosts } from "../types";
import { checkImage, isByteQuantity, isDnsSubdomain, isQuantity, parseQuantity } from "../validate";

/** What validation needs to know about where a value came from, to report each mistake once. */
export interface ValidationContext {
    /** The top-level storageClass every data service inherits. */
    storageClass: string;
    /** Ingress hosts as derived from the domain. */
    derivedHosts: IngressHosts;
    /** The top-level imageRegistry the0's own images are derived from (with version). */
    registry: string;
    /** the0's own images as derived from imageRegistry and version: a mistake there is reported on those keys, once. */
    derivedImages: Partial<Record<AppServiceKey, string>>;
}

export const STORAGE_CLASS_RULE = "must be a StorageClass name (DNS subdomain) or empty for the cluster default";

export function oneOf<T extends string>(problems: Problems, key: string, value: string, allowed: readonly T[]): void {
    if (!(allowed as readonly string[]).includes(value)) problems.add(key, value, `must be one of ${allowed.join(", ")}`);
}

/**
 * The largest node a pod can be expected to fit on: the biggest general-purpose machine types of the
 * large clouds (96 vCPU, 768 GiB). A request above it keeps the pod Pending on any cluster.
 */
export const LARGEST_NODE = { cpu: 96, memory: 768 * 2 ** 30 } as const;

export function checkResources(problems: Problems, key: string, r: Resources): void {
    for (const kind of ["requests", "limits"] as const) {
        if (!isQuantity(r[kind].cpu)) problems.add(`${key}.${kind}.cpu`, r[kind].cpu, "must be a Kubernetes CPU quantity such as 250m or 1");
        if (!isByteQuantity(r[kind].memory)) problems.add(`${key}.${kind}.memory`, r[kind].memory, "must be a Kubernetes byte quantity such as 512Mi or 1Gi");
    }
    for (const res of ["cpu", "memory"] as const) {
        // Compared only when both parse; a bad quantity is reported once, above.
        const valid = res === "cpu" ? isQuantity(r.requests.cpu) && isQuantity(r.limits.cpu) : isByteQuantity(r.requests.memory) && isByteQuantity(r.limits.memory);
        if (valid && parseQuantity(r.requests[res]) > parseQuantity(r.limits[res])) problems.add(`${key}.requests.${res}`, r.requests[res], `must not exceed limits.${res} (${r.limits[res]})`);
        const parses = res === "cpu" ? isQuantity(r.requests.cpu) : isByteQuantity(r.requests.memory);
        if (parses && parseQuantity(r.requests[res]) > LARGEST_NODE[res]) {
            const [largest, unit] = res === "cpu" ? [`${LARGEST_NODE.cpu} CPUs`, "is a unit missing (250m, not 250)?"] : ["768Gi", "is the unit right (512Mi, not 512Gi)?"];
            problems.add(`${key}.requests.${res}`, r.requests[res], `is more than any node offers (the largest common machine types have ${largest}): the pod would stay Pending; ${unit}`);
        }
    }
}

/** `inherited` is the top-level storageClass, reported once under its own key. */
export function checkStorage(problems: Problems, key: string, st: DataVolume, inherited: string): void {
    if (!isByteQuantity(st.storageSize)) problems.add(`${key}.storageSize`, st.storageSize, "must be a Kubernetes byte quantity such as 10Gi (not 10GB)");
    if (st.storageClass !== inherited && st.storageClass !== "" && !isDnsSubdomain(st.storageClass)) problems.add(`${key}.storageClass`, st.storageClass, STORAGE_CLASS_RULE);
}

export function checkImageRef(problems: Problems, key: string, ref: string, profile: Profile): void {
    const c = checkImage(ref);
    if (!c.valid) problems.add(key, ref, "must be an image reference such as registry/name:tag or name@sha256:<digest>");
    else if (!c.pinned) problems.add(key, ref, "must carry a tag or a digest");
    else if (c.latest && profile !== "minikube") problems.add(key, ref, "must not use the latest tag outside the minikube profile; pin a version or digest");
}

export function checkPort(problems: Problems, key: string, port: number): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.add(key, port, "must be a TCP port 1-65535");
}
