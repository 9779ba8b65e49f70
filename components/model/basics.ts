// The ground floor: the words every part of the platform model uses. Imports nothing.

/** Sizing and feature profiles. */
export const PROFILES = ["minikube", "cloud"] as const;
export type Profile = (typeof PROFILES)[number];

export interface ResourceAmounts {
    cpu: string;
    memory: string;
}

export interface Resources {
    requests: ResourceAmounts;
    limits: ResourceAmounts;
}

export interface Autoscaling {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCpuPercent: number;
}

/** Requests and limits in one call. */
export function res(reqCpu: string, reqMem: string, limCpu: string, limMem: string): Resources {
    return { requests: { cpu: reqCpu, memory: reqMem }, limits: { cpu: limCpu, memory: limMem } };
}

/** The MinIO client image (quay.io/minio/mc) runs as any user; it gets the0's own uid (backup jobs, the gc's buckets). */
export const MINIO_CLIENT_USER = { uid: 1000, gid: 1000, fsGroup: 1000 } as const;

/** Keys of the app-tier service catalog. */
export const APP_SERVICES = ["api", "frontend", "docs", "botController", "gc", "securityAnalyzer", "aiAgent"] as const;
export type AppServiceKey = (typeof APP_SERVICES)[number];

/** The web services with a host of their own (Ingress, NodePort URLs). */
export const WEB_SERVICES = ["frontend", "api", "docs"] as const;
export type WebService = (typeof WEB_SERVICES)[number];

/** The node ports the0 exposes on minikube (its `<fn>-<svc>-external` Services). */
export const NODE_PORT_KEYS = ["api", "frontend", "minio", "minioConsole", "docs"] as const;
export type NodePortKey = (typeof NODE_PORT_KEYS)[number];
/** Kubernetes' default NodePort range (the API server's --service-node-port-range). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** An image reference's tag ("postgres:15.13-alpine@sha256:..." -> "15.13-alpine"); undefined for a digest alone. A registry's port is not a tag. */
export function imageTag(image: string): string | undefined {
    return /:([\w][\w.-]*)(?:@sha256:[a-f0-9]{64})?$/.exec(image.replace(/^[^/]+:\d+\//, ""))?.[1];
}
