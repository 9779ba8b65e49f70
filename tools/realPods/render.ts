// What the program renders for a stack, as the kubelet would hand it to a process: each
// container's command, args and environment with Secret keys and field references resolved from
// the program's own Secret. Built under the unit-test mocks from the committed stack file, with
// generated passwords shaped like @pulumi/random's.
import { SecretConfigKey } from "../../components/config/secretRegistry";
import { build, buildStack, Model, podSpecOf, T, unwrap, useRealisticPasswords } from "../render/render";

export interface Probe {
    httpGet?: { path: string; port: string | number };
    exec?: { command: string[] };
    tcpSocket?: { port: string | number };
}

export interface RenderedContainer {
    name: string;
    image: string;
    command: string[];
    args: string[];
    /** Environment as the process sees it (secretKeyRef and fieldRef resolved). */
    env: Record<string, string>;
    /** Names of the Secret keys the container reads, by env var. */
    secretKeys: Record<string, string>;
    ports: Array<{ name: string; containerPort: number }>;
    probes: { startup?: Probe; liveness?: Probe; readiness?: Probe };
    /** The postStart hook's command, if it has one. */
    postStart?: string[];
    mounts: Array<{ name: string; mountPath: string }>;
    /** The pod's user and group (its securityContext); the suite runs the server as them when it can. */
    user: { uid: number; gid: number };
}

export type WorkloadKind = "Deployment" | "StatefulSet" | "CronJob";

let renders = 0;

export class RenderedStack {
    /** The app Secret's data (generated values included). */
    readonly secret: Record<string, string>;
    /** A name of its own for this rendering's pods' directories (a stack may be rendered twice). */
    readonly scratchName: string;

    constructor(readonly stack: string, readonly model: Model) {
        this.scratchName = `${stack}-${++renders}`;
        this.secret = unwrap(model.object(T.Secret, `${model.config.instanceName}-secrets`).inputs).stringData;
    }

    get plan() {
        return this.model.plan;
    }

    get config() {
        return this.model.config;
    }

    configMap(name: string): Record<string, string> {
        return unwrap(this.model.object(T.ConfigMap, name).inputs).data;
    }

    /** The first container of a workload; `podName` resolves metadata.name field references. */
    container(kind: WorkloadKind, name: string, podName = `${name}-0`): RenderedContainer {
        const pod = podSpecOf(kind, this.model.spec(T[kind], name));
        return this.containersOf({ ...pod, initContainers: undefined }, podName)[0];
    }

    /** Every container of a workload's pod, init containers first, in the order they run. */
    podContainers(kind: WorkloadKind, name: string, podName = `${name}-0`): RenderedContainer[] {
        return this.containersOf(podSpecOf(kind, this.model.spec(T[kind], name)), podName);
    }

    /** The containers of a pod spec (one the program deploys, or one `npm run restore` creates) as the kubelet runs them: init containers first. */
    containersOf(pod: any, podName: string): RenderedContainer[] {
        return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => {
            const env: Record<string, string> = {};
            const secretKeys: Record<string, string> = {};
            for (const e of c.env ?? []) {
                if (e.value !== undefined) env[e.name] = e.value;
                else if (e.valueFrom?.secretKeyRef) {
                    const { name: secret, key } = e.valueFrom.secretKeyRef;
                    const data = this.secrets[secret];
                    if (!data || !(key in data)) throw new Error(`${podName}: ${e.name} reads Secret ${secret} key ${key}, which the stack does not hold`);
                    env[e.name] = data[key];
                    secretKeys[e.name] = key;
                } else if (e.valueFrom?.fieldRef?.fieldPath === "metadata.name") env[e.name] = podName;
                else throw new Error(`${podName}: env ${e.name} has a source the contract suite does not resolve`);
            }
            return {
                name: c.name,
                image: c.image,
                command: (c.command ?? []).map((a: string) => expandKubeletRefs(a, env)),
                args: (c.args ?? []).map((a: string) => expandKubeletRefs(a, env)),
                env,
                secretKeys,
                ports: c.ports ?? [],
                probes: { startup: c.startupProbe, liveness: c.livenessProbe, readiness: c.readinessProbe },
                postStart: c.lifecycle?.postStart?.exec?.command,
                mounts: c.volumeMounts ?? [],
                user: { uid: c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser, gid: c.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup },
            };
        });
    }

    /** Secrets the stack writes, by name: the app Secret, and others a test adds (a target's keys). */
    get secrets(): Record<string, Record<string, string>> {
        return { [`${this.model.config.instanceName}-secrets`]: this.secret, ...this.extraSecrets };
    }

    readonly extraSecrets: Record<string, Record<string, string>> = {};
}

/** Renders a committed stack (`dev`, `staging`, `production`) with the given secret config values (and config overrides). */
export async function renderStack(stack: string, secrets: Partial<Record<SecretConfigKey, string>> = {}, overrides: Record<string, string> = {}): Promise<RenderedStack> {
    useRealisticPasswords(true);
    try {
        return new RenderedStack(stack, await buildStack(stack, { secrets, overrides }));
    } finally {
        useRealisticPasswords(false);
    }
}

/** Renders a stack that has no stack file (one `migrate:from-helm` writes): `values` as `pulumi config --json` hands them over. */
export async function renderConfig(stack: string, values: Record<string, string>, secrets: Partial<Record<SecretConfigKey, string>>): Promise<RenderedStack> {
    useRealisticPasswords(true);
    try {
        return new RenderedStack(stack, await build(values, { secrets, stack }));
    } finally {
        useRealisticPasswords(false);
    }
}

/** The kubelet's `$(VAR)` expansion in command and args (`$$` escapes; unknown references stay). */
export function expandKubeletRefs(s: string, env: Record<string, string>): string {
    return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name?: string) => (m === "$$" ? "$" : name !== undefined && name in env ? env[name] : m));
}
