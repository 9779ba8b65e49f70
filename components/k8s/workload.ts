// Shared, secure-by-default builders for pods and containers (cdk8s-plus style): non-root,
// read-only root filesystem with emptyDirs for the paths an image writes, no capabilities,
// seccomp RuntimeDefault, no service-account token unless asked for, requests and limits always.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Resources } from "../model/basics";
import { PlatformConfig, PullPolicy } from "../config/types";
import { labels, selectorLabels } from "./meta";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

export interface RunAs {
    uid: number;
    gid: number;
    fsGroup: number;
}

export function podSecurityContext(user: RunAs): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: user.uid,
        runAsGroup: user.gid,
        fsGroup: user.fsGroup,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function containerSecurityContext(user: RunAs): k8s.types.input.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: user.uid,
        runAsGroup: user.gid,
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** `/var/cache/nginx` -> `var-cache-nginx`: a stable volume name per writable path. */
export function volumeNameFor(path: string): string {
    return path.replace(/^\/+/, "").replace(/[^a-z0-9]+/gi, "-").toLowerCase() || "root";
}

export function writableVolumes(paths: readonly string[]): { volumes: Volume[]; mounts: VolumeMount[] } {
    return {
        volumes: paths.map((p) => ({ name: volumeNameFor(p), emptyDir: {} })),
        mounts: paths.map((p) => ({ name: volumeNameFor(p), mountPath: p })),
    };
}

export function httpProbe(path: string, port: string | number, delay: number, period: number, timeout: number, failureThreshold?: number): Probe {
    return { httpGet: { path, port }, initialDelaySeconds: delay, periodSeconds: period, timeoutSeconds: timeout, failureThreshold };
}

export function execProbe(command: string[], delay: number, period: number, timeout: number, failureThreshold?: number): Probe {
    return { exec: { command }, initialDelaySeconds: delay, periodSeconds: period, timeoutSeconds: timeout, failureThreshold };
}

export interface ContainerArgs {
    name: string;
    image: string;
    pullPolicy: PullPolicy;
    command?: pulumi.Input<string>[];
    args?: pulumi.Input<string>[];
    env?: EnvVar[];
    ports?: Array<{ name: string; containerPort: number }>;
    probes?: { liveness?: Probe; readiness?: Probe; startup?: Probe };
    resources: Resources;
    user: RunAs;
    /** Paths that get an emptyDir. */
    writablePaths?: readonly string[];
    /** Further mounts (PVCs, ConfigMaps). */
    mounts?: VolumeMount[];
    lifecycle?: k8s.types.input.core.v1.Lifecycle;
}

export function container(a: ContainerArgs): Container {
    return {
        name: a.name,
        image: a.image,
        imagePullPolicy: a.pullPolicy,
        command: a.command,
        args: a.args,
        env: a.env && a.env.length > 0 ? a.env : undefined,
        ports: a.ports?.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: "TCP" })),
        livenessProbe: a.probes?.liveness,
        readinessProbe: a.probes?.readiness,
        startupProbe: a.probes?.startup,
        resources: {
            requests: { cpu: a.resources.requests.cpu, memory: a.resources.requests.memory },
            limits: { cpu: a.resources.limits.cpu, memory: a.resources.limits.memory },
        },
        securityContext: containerSecurityContext(a.user),
        volumeMounts: [...writableVolumes(a.writablePaths ?? []).mounts, ...(a.mounts ?? [])],
        lifecycle: a.lifecycle,
    };
}

export interface PodTemplateArgs {
    component: string;
    container: ContainerArgs;
    /** Run to completion, in order, before `container` (each hardened the same way). */
    initContainers?: ContainerArgs[];
    /** Run beside `container` for the pod's life (an exporter), hardened the same way. */
    sidecars?: ContainerArgs[];
    volumes?: Volume[];
    annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    serviceAccountName?: pulumi.Input<string>;
    /** Mount the service account's token; by default only when a service account is named (only the bot-controller talks to the Kubernetes API). */
    automountToken?: boolean;
    restartPolicy?: "Always" | "OnFailure" | "Never";
    terminationGracePeriodSeconds?: number;
    /** Spread replicas across nodes. */
    spread?: boolean;
    extraLabels?: Record<string, string>;
}

export function podTemplate(cfg: PlatformConfig, a: PodTemplateArgs): k8s.types.input.core.v1.PodTemplateSpec {
    const inits = a.initContainers ?? [];
    const sidecars = a.sidecars ?? [];
    const spec: PodSpec = {
        automountServiceAccountToken: a.automountToken ?? a.serviceAccountName !== undefined,
        serviceAccountName: a.serviceAccountName,
        enableServiceLinks: false,
        securityContext: podSecurityContext(a.container.user),
        initContainers: inits.length > 0 ? inits.map(container) : undefined,
        containers: [container(a.container), ...sidecars.map(container)],
        // One emptyDir per writable path, shared by the containers that name it.
        volumes: [...writableVolumes([...new Set([a.container, ...inits, ...sidecars].flatMap((c) => c.writablePaths ?? []))]).volumes, ...(a.volumes ?? [])],
        restartPolicy: a.restartPolicy,
        terminationGracePeriodSeconds: a.terminationGracePeriodSeconds,
        topologySpreadConstraints: a.spread ? spreadAcrossNodes(cfg, a.component) : undefined,
    };
    return {
        metadata: { labels: { ...labels(cfg, a.component), ...(a.extraLabels ?? {}) }, annotations: a.annotations },
        spec,
    };
}

/**
 * At most one replica more on any node than on another. Nodes the pod may not go to do not count:
 * a cordoned or tainted node (nodeTaintsPolicy Honor; the default Ignore counts a drained node as an
 * empty domain, so the replica it held stays Pending and a quorum service runs one short).
 */
export function spreadAcrossNodes(cfg: PlatformConfig, component: string): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return [
        {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "DoNotSchedule",
            nodeAffinityPolicy: "Honor",
            nodeTaintsPolicy: "Honor",
            labelSelector: { matchLabels: selectorLabels(cfg, component) },
        },
    ];
}
