// A stack of this project on the local cluster, driven by the Automation API: shared by the
// end-to-end suite and the benchmark. The project is copied to a scratch directory so the stack
// file the Automation API writes stays out of the repo.
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { execFile, execFileSync } from "child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { SECRET_CONFIG_KEYS, SecretConfigKey } from "../../components/config/secretRegistry";
import { PolicyConfig, RULES } from "../../policy/rules";
import { PROJECT, stackFileConfig } from "../render/stackFiles";

export const ROOT = join(__dirname, "..", "..");
export const NAMESPACE = "the0";
/** Which committed stack's config to run: dev, cloud (staging) or production, all on the local cluster. */
export type Profile = "dev" | "cloud" | "production";

export function baseStackOf(profile: Profile): string {
    return { dev: "dev", cloud: "staging", production: "production" }[profile];
}

export function kubectl(...args: string[]): string {
    return execFileSync("kubectl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 2 ** 20 });
}

export function kubectlJson<T = any>(...args: string[]): T {
    return JSON.parse(kubectl(...args, "-o", "json")) as T;
}

/**
 * Every object of ours left in the cluster, as kind/namespace/name (PVCs of our namespace whatever their labels).
 * `controlled: false` leaves out what a controller made for an object of ours (a Deployment's pods, the
 * Certificates cert-manager makes for an Ingress or a Gateway, which copy its labels).
 */
export function objectsOfOurs(controlled = true): string[] {
    const kinds = "deployments,statefulsets,services,cronjobs,jobs,pods,persistentvolumeclaims,secrets,configmaps,serviceaccounts,roles,rolebindings,clusterroles,clusterrolebindings,poddisruptionbudgets,horizontalpodautoscalers,endpointslices,podmonitors.monitoring.coreos.com,prometheusrules.monitoring.coreos.com,ingresses.networking.k8s.io,issuers.cert-manager.io,certificates.cert-manager.io,gateways.gateway.networking.k8s.io,httproutes.gateway.networking.k8s.io";
    const list = kubectlJson<{ items: any[] }>("get", kinds, "-A", "-l", "app.kubernetes.io/part-of=the0");
    const pvcs = kubectlJson<{ items: any[] }>("get", "persistentvolumeclaims", "-A").items.filter((p) => p.metadata.namespace === NAMESPACE);
    const isControlled = (o: any) => (o.metadata.ownerReferences ?? []).some((r: any) => r.controller);
    return [...list.items, ...pvcs].filter((o) => controlled || !isControlled(o)).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
}

/**
 * Secrets for the run: some configured (with characters that must be percent-encoded in the
 * connection strings), the rest left unset so that @pulumi/random generates them.
 */
export function localSecrets(): Record<SecretConfigKey, string> {
    const values = {} as Record<SecretConfigKey, string>;
    for (const key of SECRET_CONFIG_KEYS) values[key] = "";
    Object.assign(values, {
        // the0's api sends the PostgreSQL password undecoded: only URL-safe specials (validation refuses others).
        postgresPassword: "pg-e2e-pass.word_(1)!",
        mongoRootPassword: "mongo-e2e-p@ss:word",
        minioSecretKey: "e2e-minio-secret-key-0123456789",
        rootAdminPassword: "e2e-admin-password",
    });
    return values;
}

/**
 * Stack config: the committed stack file, pointed at this cluster. With `exposure` false, Ingress
 * and Gateway are off (a cloud stack is then reached through NodePorts, as validation insists).
 */
export function localConfig(profile: Profile, exposure = true): Record<string, unknown> {
    const context = kubectl("config", "current-context").trim();
    const config: Record<string, unknown> = { ...stackFileConfig(baseStackOf(profile)), kubeContext: context };
    if (!exposure) {
        config.ingress = { enabled: false };
        if (profile !== "dev") config.nodePorts = { enabled: true };
    }
    return config;
}

/**
 * The part of an ingress controller the local cluster lacks: it writes a load-balancer address into
 * each Ingress's status in `namespace`, which is what Pulumi's Ingress await waits for. Nothing
 * else of a controller is simulated; traffic never flows. Returns the function that stops it.
 */
export function standInLoadBalancer(namespace: string): () => void {
    const status = JSON.stringify({ status: { loadBalancer: { ingress: [{ ip: "127.0.0.1" }] } } });
    let busy = false;
    const tick = () => {
        if (busy) return;
        busy = true;
        execFile("kubectl", ["get", "ingresses", "-n", namespace, "-o", "json"], { maxBuffer: 16 * 2 ** 20 }, (err, out) => {
            const pending = err ? [] : (JSON.parse(out).items as any[]).filter((i) => !i.status?.loadBalancer?.ingress?.length).map((i) => i.metadata.name as string);
            let left = pending.length;
            if (left === 0) busy = false;
            for (const name of pending) {
                execFile("kubectl", ["patch", "ingress", name, "-n", namespace, "--subresource=status", "--type=merge", "-p", status], () => {
                    if (--left === 0) busy = false;
                });
            }
        });
    };
    const timer = setInterval(tick, 500);
    return () => clearInterval(timer);
}

/** `{a: {b: 1}}` -> `{"a.b": "1"}`: keys for `pulumi config set --path`, which types the leaves. */
function configPaths(value: unknown, prefix: string, out: Record<string, string> = {}): Record<string, string> {
    if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) configPaths(v, `${prefix}.${k}`, out);
    } else {
        out[prefix] = String(value);
    }
    return out;
}

/** State in a file backend inside the scratch dir, secrets under a passphrase. */
export function pulumiEnv(workDir: string): Record<string, string> {
    return {
        PULUMI_BACKEND_URL: `file://${join(workDir, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "the0-e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
}

/** Every run goes through the policy pack, configured for this profile. */
export function policyOptions(workDir: string, profile: Profile): { policyPacks: string[]; policyPackConfigs: string[] } {
    const cfg: PolicyConfig = { profile: profile === "dev" ? "minikube" : "cloud", protectDataVolumes: profile === "production" };
    const file = join(workDir, "policy-config.json");
    writeFileSync(file, JSON.stringify(Object.fromEntries(RULES.map((r) => [r.name, cfg]))));
    return { policyPacks: [join(ROOT, "policy")], policyPackConfigs: [file] };
}

/**
 * A stack named `name` with the local config set, in a fresh scratch directory; with the local
 * secrets too unless `withSecrets` is false (then nothing is set, as on a fresh stack before stack:init).
 */
export async function createLocalStack(profile: Profile, name: string, withSecrets = true, overrides: Record<string, unknown> = {}): Promise<{ stack: Stack; workDir: string }> {
    const workDir = mkdtempSync(join(tmpdir(), "the0-stack-"));
    for (const f of ["Pulumi.yaml", "main.js", "index.ts", "package.json", "tsconfig.json", "components"]) cpSync(join(ROOT, f), join(workDir, f), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(workDir, "node_modules"));
    mkdirSync(join(workDir, ".state"));
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir }, { envVars: pulumiEnv(workDir) });
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const [k, v] of Object.entries({ ...localConfig(profile), ...overrides })) {
        for (const [path, leaf] of Object.entries(configPaths(v, `${PROJECT}:${k}`))) config[path] = { value: leaf };
    }
    if (withSecrets) for (const [k, v] of Object.entries(localSecrets())) if (v !== "") config[`${PROJECT}:${k}`] = { value: v, secret: true };
    await stack.setAllConfig(config, true);
    return { stack, workDir };
}

/** Removes a scratch directory; its node_modules is a symlink, which rmSync does not follow. */
export function removeScratch(workDir: string): void {
    rmSync(workDir, { recursive: true, force: true });
}
