// The head-to-head arms of the benchmark: this program through the Pulumi CLI, exactly as a user
// runs it, the0's own Helm chart (../shared/peers/the0-chart) through Helm, and the same chart
// through Pulumi (bench/chart), on the same local cluster and namespace, one after the other. Each
// arm times the same four operations.
import { execFileSync, spawn } from "child_process";
import { createInterface } from "readline";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { PROJECT } from "../../tools/render/render";
import { kubectl, NAMESPACE, pulumiEnv, ROOT as REPO } from "../../tools/localStack/localStack";
import { peerChartDir } from "../../tools/toolchain/peers";

export const OPERATIONS = ["install", "noop", "prCheck", "imageChange"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface Arm {
    name: string;
    /** What each operation runs, for the report. */
    commands: Record<Operation, string>;
    run(op: Operation, round: number): void;
    /** Kubernetes objects the arm manages (after install). */
    objectCount(): number;
    remove(): void;
}

export const CHART = peerChartDir();
/** The api image tag of a round's image change: two tags alternate, so every round changes it. */
export function roundTag(round: number): string {
    return ["1.14.1", "1.14.0"][round % 2];
}

function sh(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; okCodes?: number[] } = {}): string {
    try {
        return execFileSync(cmd, args, { cwd: opts.cwd, env: opts.env, input: opts.input, encoding: "utf8", maxBuffer: 256 * 2 ** 20, stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
        const err = e as { status?: number; stdout?: string; stderr?: string };
        if (opts.okCodes?.includes(err.status ?? -1)) return err.stdout ?? "";
        throw new Error(`${cmd} ${args.join(" ")} failed (${err.status}): ${(err.stderr ?? "").slice(-2000)}`);
    }
}

function waitNamespaceGone(): void {
    kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
}

/** One output line of a traced run, with when it arrived (ms after the CLI was started). */
export interface TracedLine {
    at: number;
    line: string;
}

/** `pulumi up` from empty with every output line timestamped as it arrives, and the exit time. */
export function tracedUp(stack: Stack, workDir: string): Promise<{ lines: TracedLine[]; total: number }> {
    const base = pulumiEnv(workDir);
    const env = { ...process.env, PULUMI_BACKEND_URL: base.PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE: base.PULUMI_CONFIG_PASSPHRASE, PULUMI_SKIP_UPDATE_CHECK: "true" };
    return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.name], { cwd: workDir, env });
        const lines: TracedLine[] = [];
        createInterface({ input: child.stdout }).on("line", (line) => lines.push({ at: performance.now() - t0, line }));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve({ lines, total: performance.now() - t0 }) : reject(new Error(`traced pulumi up exited ${code}`))));
    });
}

/** The Pulumi CLI on stack `stack` of the scratch project `workDir`, with no environment variable beyond backend and passphrase. */
function pulumiCli(workDir: string, stack: string): (args: string[]) => string {
    const base = pulumiEnv(workDir);
    // process.env as it is at each call: tsNodeMode switches PULUMI_NODEJS_TRANSPILE_ONLY for the lever's runs.
    const env = () => ({ ...process.env, PULUMI_BACKEND_URL: base.PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE: base.PULUMI_CONFIG_PASSPHRASE, PULUMI_SKIP_UPDATE_CHECK: "true" });
    return (args: string[]) => sh("pulumi", [...args, "--stack", stack, "--non-interactive"], { cwd: workDir, env: env() });
}

/** Kubernetes objects in a stack's state: custom resources of the kubernetes package (no provider, no component). */
function kubernetesObjects(cli: (args: string[]) => string): number {
    const state = JSON.parse(cli(["stack", "export"]));
    return state.deployment.resources.filter((r: { type: string; custom?: boolean }) => r.custom === true && r.type.startsWith("kubernetes:")).length;
}

const UP = ["up", "--yes", "--skip-preview"];

/** This program, through the CLI in the scratch project `workDir`, exactly as a user runs it. */
export function pulumiArm(stack: Stack, workDir: string, label = "pulumi"): Arm {
    const cli = pulumiCli(workDir, stack.name);
    return {
        name: label,
        commands: { install: "pulumi up", noop: "pulumi up", prCheck: "pulumi preview", imageChange: "pulumi up (apps.api.image)" },
        run(op, round) {
            if (op === "imageChange") cli(["config", "set", "--path", `${PROJECT}:apps.api.image`, `ghcr.io/alexanderwanyoike/the0/api:${roundTag(round)}`]);
            if (op === "prCheck") cli(["preview"]);
            else cli(UP);
        },
        objectCount: () => kubernetesObjects(cli),
        remove() {
            cli(["destroy", "--yes", "--skip-preview"]);
            waitNamespaceGone();
        },
    };
}

/**
 * the0's chart through Pulumi (`bench/chart`: kubernetes.helm.v4.Chart, the chart's defaults plus its
 * required values), as a stack of its own in a scratch copy, on the same CLI, provider plugin and
 * namespace. `dispose` removes the scratch stack when the benchmark is done.
 */
export function chartThroughPulumiArm(): Arm & { dispose(): void } {
    const workDir = mkdtempSync(join(tmpdir(), "the0-chart-bench-"));
    cpSync(join(REPO, "bench", "chart"), workDir, { recursive: true });
    symlinkSync(join(REPO, "node_modules"), join(workDir, "node_modules"));
    mkdirSync(join(workDir, ".state"));
    const stack = "bench";
    const base = pulumiEnv(workDir);
    sh("pulumi", ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"], { cwd: workDir, env: { ...process.env, ...base } });
    const cli = pulumiCli(workDir, stack);
    const project = "the0-chart-bench";
    cli(["config", "set", `${project}:chartDir`, CHART]);
    cli(["config", "set", "--secret", `${project}:jwtSecret`, "bench-jwt"]);
    cli(["config", "set", "--secret", `${project}:adminPassword`, "bench-admin"]);
    return {
        name: "chart via pulumi",
        commands: { install: "pulumi up", noop: "pulumi up", prCheck: "pulumi preview", imageChange: "pulumi up (apiImageTag)" },
        run(op, round) {
            if (op === "install") cli(["config", "set", `${project}:apiImageTag`, ""]);
            if (op === "imageChange") cli(["config", "set", `${project}:apiImageTag`, roundTag(round)]);
            if (op === "prCheck") cli(["preview"]);
            else cli(UP);
        },
        objectCount: () => kubernetesObjects(cli),
        remove() {
            cli(["destroy", "--yes", "--skip-preview"]);
            waitNamespaceGone();
        },
        dispose() {
            rmSync(workDir, { recursive: true, force: true });
        },
    };
}

/** the0's chart through Helm: install --wait, upgrade, template | kubectl diff --server-side, upgrade --set --wait. */
export function helmArm(helm: string): Arm {
    if (!existsSync(join(CHART, "Chart.yaml"))) throw new Error(`the0's chart is not at ${CHART}`);
    // The chart's defaults plus the values it requires (as the parity test renders it).
    const required = ["--set", "the0Api.env.JWT_SECRET=bench-jwt", "--set", "the0Api.env.THE0_ADMIN_EMAIL=admin@the0.local", "--set", "the0Api.env.THE0_ADMIN_PASSWORD=bench-admin"];
    const release = ["the0", CHART, "-n", NAMESPACE];
    let tag = "";
    const tagArgs = () => (tag ? ["--set", `the0Api.image.tag=${tag}`] : []);
    return {
        name: "helm",
        commands: {
            install: "helm install --wait",
            noop: "helm upgrade",
            prCheck: "helm template | kubectl diff --server-side",
            imageChange: "helm upgrade --set the0Api.image.tag --wait",
        },
        run(op, round) {
            switch (op) {
                case "install":
                    tag = "";
                    sh(helm, ["install", ...release, "--create-namespace", "--wait", "--timeout", "10m", ...required]);
                    break;
                case "noop":
                    sh(helm, ["upgrade", ...release, ...required, ...tagArgs()]);
                    break;
                case "prCheck": {
                    const manifest = sh(helm, ["template", ...release, ...required, ...tagArgs()]);
                    // kubectl diff exits 1 when there are differences, which a PR check reports rather than fails on.
                    sh("kubectl", ["diff", "--server-side", "--force-conflicts", "-n", NAMESPACE, "-f", "-"], { input: manifest, okCodes: [0, 1] });
                    break;
                }
                case "imageChange":
                    tag = roundTag(round);
                    sh(helm, ["upgrade", ...release, ...required, ...tagArgs(), "--wait", "--timeout", "10m"]);
                    break;
            }
        },
        objectCount() {
            const manifest = sh(helm, ["get", "manifest", "the0", "-n", NAMESPACE]);
            return manifest.split(/^---$/m).filter((doc) => /^kind: /m.test(doc)).length;
        },
        remove() {
            sh(helm, ["uninstall", "the0", "-n", NAMESPACE, "--wait"]);
            waitNamespaceGone();
        },
    };
}

/**
 * The scratch project as it ran before compile-once: Pulumi's TypeScript mode (ts-node) on index.ts,
 * transpile-only as the scripts used to set it. `on` switches to it, `off` back to main.js.
 */
export function tsNodeMode(workDir: string): { on(): void; off(): void } {
    const file = join(workDir, "Pulumi.yaml");
    const compiled = readFileSync(file, "utf8");
    if (!/^main: main\.js$/m.test(compiled)) throw new Error(`${file} does not run main.js`);
    const tsNode = compiled.replace(/^main: main\.js$/m, "main: index.ts").replace(/typescript: false/, "typescript: true");
    return {
        on: () => {
            writeFileSync(file, tsNode);
            process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        },
        off: () => {
            writeFileSync(file, compiled);
            delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        },
    };
}
