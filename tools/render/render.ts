// The program rendered under Pulumi mocks (no engine, no cluster): every registered resource captured by
// type token, and helpers to build the platform from a stack file or raw config values. The unit tests,
// the contract suite, the docs generator, the benchmark and the snapshot all import it; it imports none
// of them. Importing it installs the mocks.
import * as pulumi from "@pulumi/pulumi";
import { createHash, randomBytes } from "crypto";
import { generateCredential } from "../../components/config/credentials";
import { credentialsToStore, resolveConfig } from "../../components/config/resolve";
import { PlatformConfig } from "../../components/config/types";
import { SECRET_CONFIG_KEYS, SecretConfigKey } from "../../components/config/secretRegistry";
import { Platform } from "../../components/platform";
import { DeploymentPlan } from "../../components/plan/plan";
import { handSetSecrets, PROJECT, stackValues } from "./stackFiles";

export { EXTERNAL_STORE_KEYS, handSetSecrets, PROJECT, stackValues, toConfigString } from "./stackFiles";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface Captured {
    type: string;
    name: string;
    inputs: Record<string, any>;
    custom: boolean;
    /** Provider reference (`<urn>::<id>`) the resource was registered with. */
    provider?: string;
    /** Order in which the mock monitor saw the registration, and finished it. */
    seen: number;
    done: number;
}

let captured: Captured[] = [];
let clock = 0;
/** Per-type delay (ms) before the mock answers, to observe dependency ordering. */
export const mockDelays: Record<string, number> = {};

let realisticPasswords = false;

/**
 * Generated passwords as @pulumi/random makes them (length, letters and digits, or with specials)
 * instead of the readable `generated-<name>`; the contract suite feeds them to real servers.
 */
export function useRealisticPasswords(on: boolean): void {
    realisticPasswords = on;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** @pulumi/random's default special characters. */
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

function randomPassword(inputs: Record<string, any>): string {
    const alphabet = inputs.special === false ? ALNUM : ALNUM + SPECIAL;
    return Array.from(randomBytes(inputs.length ?? 16), (b) => alphabet[b % alphabet.length]).join("");
}

/** Outputs of other stacks as a StackReference reads them under mocks, by stack name. */
export const mockStackOutputs: Record<string, Record<string, unknown>> = {};

function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    if (type === "pulumi:pulumi:StackReference") return { name: inputs.name, outputs: mockStackOutputs[inputs.name] ?? {}, secretOutputNames: [] };
    if (type === "random:index/randomPassword:RandomPassword") {
        return { ...inputs, result: pulumi.secret(realisticPasswords ? randomPassword(inputs) : `generated-${name}`) };
    }
    // @pulumi/random's RandomId: hex of byteLength random bytes.
    if (type === "random:index/randomId:RandomId") return { ...inputs, hex: randomBytes(inputs.byteLength ?? 8).toString("hex") };
    const md = inputs.metadata ?? {};
    // As on a real server, an object written with other content gets another resourceVersion.
    const resourceVersion = String(parseInt(createHash("sha256").update(JSON.stringify(unwrap(inputs))).digest("hex").slice(0, 12), 16));
    return { ...inputs, metadata: { ...md, name: md.name ?? `${name}-mock`, namespace: md.namespace, resourceVersion } };
}

pulumi.runtime.setMocks(
    {
        async newResource(args) {
            const entry: Captured = { type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true, provider: args.provider, seen: ++clock, done: 0 };
            captured.push(entry);
            const delay = mockDelays[args.type];
            if (delay) await new Promise((r) => setTimeout(r, delay));
            entry.done = ++clock;
            return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
        },
        call(args) {
            return args.inputs;
        },
    },
    PROJECT,
    "dev",
);

/** Removes Pulumi's secret wrappers from captured inputs. */
export function unwrap<T = any>(v: unknown): T {
    if (Array.isArray(v)) return v.map(unwrap) as T;
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (SECRET_SIG in o) return unwrap(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)])) as T;
    }
    return v as T;
}

/** True if the value (or something inside it) was a secret when registered. */
export function containsSecret(v: unknown): boolean {
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v && typeof v === "object") {
        if (SECRET_SIG in (v as object)) return true;
        return Object.values(v as object).some(containsSecret);
    }
    return false;
}

/** The pod spec of a workload's spec, by kind (a Pulumi type token or a Kubernetes kind). */
export function podSpecOf(kind: string, spec: any): any {
    return kind.endsWith("CronJob") ? spec.jobTemplate.spec.template.spec : spec.template.spec;
}

export class Model {
    constructor(readonly config: PlatformConfig, readonly platform: Platform, readonly resources: Captured[]) {}

    /** The deployment plan the platform was built from. */
    get plan(): DeploymentPlan {
        return this.platform.plan;
    }

    ofType(type: string): Captured[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** A Kubernetes object by kind token and metadata.name. */
    object(type: string, name: string): Captured {
        const found = this.ofType(type).filter((r) => unwrap(r.inputs).metadata?.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type).map((r) => unwrap(r.inputs).metadata?.name);
            throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`);
        }
        return found[0];
    }

    has(type: string, name: string): boolean {
        return this.ofType(type).some((r) => unwrap(r.inputs).metadata?.name === name);
    }

    spec(type: string, name: string): any {
        return unwrap(this.object(type, name).inputs).spec;
    }

    deployment(name: string): any {
        return this.spec(T.Deployment, name);
    }

    statefulSet(name: string): any {
        return this.spec(T.StatefulSet, name);
    }

    /** The single container of a workload's pod template. */
    container(type: string, name: string): any {
        return podSpecOf(type, this.spec(type, name)).containers[0];
    }

    env(type: string, name: string): Record<string, any> {
        const c = this.container(type, name);
        return Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
    }
}

export const T = {
    Namespace: "kubernetes:core/v1:Namespace",
    Service: "kubernetes:core/v1:Service",
    Secret: "kubernetes:core/v1:Secret",
    ConfigMap: "kubernetes:core/v1:ConfigMap",
    ServiceAccount: "kubernetes:core/v1:ServiceAccount",
    Deployment: "kubernetes:apps/v1:Deployment",
    StatefulSet: "kubernetes:apps/v1:StatefulSet",
    CronJob: "kubernetes:batch/v1:CronJob",
    Role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    RoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    HPA: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    PDB: "kubernetes:policy/v1:PodDisruptionBudget",
    Ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    Release: "kubernetes:helm.sh/v3:Release",
    ClusterIssuer: "kubernetes:cert-manager.io/v1:ClusterIssuer",
    Issuer: "kubernetes:cert-manager.io/v1:Issuer",
    Gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    GatewayClass: "kubernetes:gateway.networking.k8s.io/v1:GatewayClass",
    HTTPRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    Certificate: "kubernetes:cert-manager.io/v1:Certificate",
    RandomPassword: "random:index/randomPassword:RandomPassword",
    Provider: "pulumi:providers:kubernetes",
} as const;

export interface BuildOptions {
    stack?: string;
    /** Secret config values (as if set with `pulumi config set --secret`). */
    secrets?: Partial<Record<SecretConfigKey, string>>;
    /** buildStack: config values set over the stack file's. */
    overrides?: Record<string, string>;
}

/** Resolves config, builds the platform under mocks and waits for every registration. */
export async function build(values: Record<string, string>, opts: BuildOptions = {}): Promise<Model> {
    captured = [];
    const secrets = opts.secrets ?? {};
    const provided = SECRET_CONFIG_KEYS.filter((k) => (secrets[k] ?? "") !== "");
    const config = resolveConfig({ project: PROJECT, stack: opts.stack ?? "test", values, secretsProvided: provided });
    const secretInputs = Object.fromEntries(provided.map((k) => [k, pulumi.secret(secrets[k] as string)]));
    const platform = new Platform("the0", { config, secrets: secretInputs });
    await settle();
    return new Model(config, platform, captured);
}

/**
 * A committed stack as `npm run stack:init` leaves it: a stack that protects its data gets every
 * credential it would otherwise generate stored in its config (validation refuses generated ones there).
 */
export function stackInitSecrets(stack: string): Partial<Record<SecretConfigKey, string>> {
    const keys = credentialsToStore({ project: PROJECT, stack, values: stackValues(stack), secretsProvided: Object.keys(handSetSecrets(stack)) });
    return Object.fromEntries(keys.map((k) => [k, generateCredential(k)]));
}

/** A committed stack as its user leaves it (`committedStackSecrets`). */
export async function buildStack(stack: string, opts: BuildOptions = {}): Promise<Model> {
    return build({ ...stackValues(stack), ...opts.overrides }, { ...opts, secrets: { ...committedStackSecrets(stack), ...opts.secrets }, stack });
}

/** Every secret a committed stack holds once its user followed its file: set by hand, and by stack:init. */
export function committedStackSecrets(stack: string): Partial<Record<SecretConfigKey, string>> {
    return { ...handSetSecrets(stack), ...stackInitSecrets(stack) };
}

/** Starts a fresh capture (for programs built outside `build`, such as index.ts). */
export function resetCapture(): void {
    captured = [];
}

export function capturedSoFar(): Captured[] {
    return captured;
}

/** Waits until the mock monitor has seen every registration. */
export async function settle(): Promise<void> {
    const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    if (runtime.waitForRPCs) await runtime.waitForRPCs();
    let last = -1;
    while (last !== captured.length || captured.some((c) => c.done === 0)) {
        last = captured.length;
        await new Promise((r) => setTimeout(r, 5));
    }
}

/** Resolves an Output's value in tests. */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

/** A backup target outside the cluster, as a cloud stack must name one. */
export const CLOUD_BACKUP_TARGET = { endpoint: "https://s3.eu-west-1.amazonaws.com", bucket: "the0-test-backups", existingSecret: "the0-backup-credentials" };

/**
 * Minimal valid values for a cloud-profile stack that runs its object storage in the cluster
 * (distributed MinIO), so that every store is the program's own; the profile's default, an external
 * store, needs its host and its keys as secrets (`EXTERNAL_STORE_KEYS`).
 */
export function cloudValues(extra: Record<string, string> = {}): Record<string, string> {
    return {
        profile: "cloud",
        domain: "the0.example.com",
        rootAdminEmail: "admin@the0.example.com",
        ingress: JSON.stringify({ acmeEmail: "ops@the0.example.com" }),
        backups: JSON.stringify({ target: CLOUD_BACKUP_TARGET }),
        objectStorage: JSON.stringify({ mode: "distributed" }),
        ...extra,
    };
}
