// Benchmark (run by scripts/bench.sh on the local simulated cluster): this program head to head
// with the0's own Helm chart and the kubectl floor (install, no-op, PR check, one image change,
// arms alternated), what compile-once saves, the fixed cost before the first resource, program
// evaluation under mocks as the catalog grows, and the footprint per stack. Timed figures are
// medians of RUNS rounds (default 5). Prints a Markdown report and writes it into
// docs/performance.md between the BENCH markers.
import { execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { cpus, tmpdir, totalmem } from "os";
import { join } from "path";
import { CATALOG } from "../components/model/catalog";
import { AppService } from "../components/app/appTier";
import { resolveConfig } from "../components/config/resolve";
import { parseQuantity } from "../components/config/validate";
import { resolvePlan } from "../components/plan/plan";
import { AppSecrets } from "../components/secrets";
import { createLocalStack, kubectl, kubectlJson, localConfig, localSecrets, NAMESPACE, pulumiEnv, removeScratch } from "../tools/localStack/localStack";
import { toolchainBin } from "../tools/toolchain/toolchainBin";
import { Arm, CHART, chartThroughPulumiArm, helmArm, Operation, OPERATIONS, pulumiArm, roundTag, TracedLine, tracedUp, tsNodeMode } from "./lib/headToHead";
import { CallSum, noopBreakdown, NoopBreakdown } from "../tools/bench/noopBreakdown";
import { build, buildStack, capturedSoFar, Model, PROJECT, resetCapture, settle, T, toConfigString, unwrap } from "../tools/render/render";

const RUNS = Number(process.env.THE0_BENCH_RUNS ?? 5);
const ROOT = join(__dirname, "..");

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secondsOf = (ms: number) => (ms / 1000).toFixed(1);
async function timed(fn: () => unknown): Promise<number> {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
}

/** The platform the benchmark deploys: the dev stack's config as the e2e suite runs it. */
function devValues(): Record<string, string> {
    return Object.fromEntries(Object.entries(localConfig("dev", false)).map(([k, v]) => [k, toConfigString(v)]));
}

/** The same objects `pulumi up` creates, rendered from the program under mocks, for kubectl. */
async function renderManifests(): Promise<string> {
    const m = await build(devValues(), { stack: "bench", secrets: localSecrets() });
    const objects = m.resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.includes("helm.sh"))
        .map((r) => unwrap(r.inputs));
    objects.sort((a, b) => Number(b.kind === "Namespace") - Number(a.kind === "Namespace"));
    const file = join(tmpdir(), "the0-bench-manifests.json");
    writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
    return file;
}

function waitForWorkloads(): void {
    for (const kind of ["deployment", "statefulset"]) {
        for (const o of kubectlJson<{ items: any[] }>("get", kind, "-n", NAMESPACE).items) {
            kubectl("rollout", "status", `${kind}/${o.metadata.name}`, "-n", NAMESPACE, "--timeout=10m");
        }
    }
}

/** The floor: the program's own objects (rendered under mocks) applied by kubectl, with the same readiness waits. */
function kubectlArm(manifests: string): Arm {
    const withApi = (tag: string) => readFileSync(manifests, "utf8").replace(/ghcr\.io\/alexanderwanyoike\/the0\/api:[\w.-]+/g, `ghcr.io/alexanderwanyoike/the0/api:${tag}`);
    const apply = (file: string) => kubectl("apply", "--server-side", "--force-conflicts", "-f", file);
    return {
        name: "kubectl floor",
        commands: { install: "kubectl apply --server-side + rollout status", noop: "kubectl apply --server-side", prCheck: "kubectl diff --server-side", imageChange: "kubectl apply --server-side + rollout status" },
        run(op, round) {
            if (op === "install") { apply(manifests); waitForWorkloads(); }
            if (op === "noop") apply(manifests);
            if (op === "prCheck") {
                try { kubectl("diff", "--server-side", "--force-conflicts", "-f", manifests); } catch (e) { if ((e as { status?: number }).status !== 1) throw e; }
            }
            if (op === "imageChange") {
                const file = join(tmpdir(), "the0-bench-image.json");
                writeFileSync(file, withApi(roundTag(round)));
                apply(file);
                kubectl("rollout", "status", "deployment/the0-api", "-n", NAMESPACE, "--timeout=10m");
            }
        },
        objectCount: () => JSON.parse(readFileSync(manifests, "utf8")).items.length,
        remove: () => { kubectl("delete", "namespace", NAMESPACE, "--wait=true", "--timeout=5m"); },
    };
}

interface Samples { [arm: string]: Record<string, number[]> }

/** Milestones of a traced install: the first output line that matches each, in order. */
const MILESTONES: Array<[string, RegExp, "first" | "last"]> = [
    ["the stack resource registered (CLI, language host, SDK and program loaded)", /pulumi:pulumi:Stack .*creating/, "first"],
    ["the namespace created", /core\/v1:Namespace .*created/, "first"],
    ["the Secret created (passwords generated meanwhile)", /core\/v1:Secret .*created/, "first"],
    ["the data services Ready (StatefulSets)", /apps\/v1:StatefulSet .*created/, "last"],
    ["the app services Ready (Deployments)", /apps\/v1:Deployment .*created/, "last"],
];

function milestones(lines: TracedLine[], total: number): Array<[string, number]> {
    const at = ([, re, which]: [string, RegExp, "first" | "last"]) => {
        const hits = lines.filter((l) => re.test(l.line));
        return hits.length === 0 ? NaN : (which === "first" ? hits[0] : hits[hits.length - 1]).at;
    };
    return [...MILESTONES.map((m): [string, number] => [m[0], at(m)]), ["the CLI exits", total]];
}

/** Every arm through every operation, arms alternated round by round after one warm-up round. */
async function headToHead(): Promise<{ samples: Samples; arms: Arm[]; objects: Record<string, number>; trace: Array<[string, number]>; breakdown: NoopBreakdown }> {
    const manifests = await renderManifests();
    const { stack, workDir } = await createLocalStack("dev", "bench", true, { ingress: { enabled: false } });
    const pulumi = pulumiArm(stack, workDir);
    const chart = chartThroughPulumiArm();
    const arms = [pulumi, chart, helmArm(toolchainBin("helm")), kubectlArm(manifests)];
    const tsNode = tsNodeMode(workDir);
    const samples: Samples = {};
    const objects: Record<string, number> = {};
    let trace: Array<[string, number]> = [];
    let breakdown: NoopBreakdown | undefined;
    const record = (arm: string, op: string, ms: number) => ((samples[arm] ??= {})[op] ??= []).push(ms);
    try {
        for (let round = 0; round <= RUNS; round++) {
            const order = round % 2 === 0 ? arms : [...arms].reverse();
            for (const arm of order) {
                for (const op of OPERATIONS) {
                    const ms = await timed(() => arm.run(op, round));
                    if (round > 0) record(arm.name, op, ms);
                    if (op === "install") objects[arm.name] = arm.objectCount();
                }
                if (arm === pulumi) {
                    // The compile-once lever: the same no-op and preview through ts-node (Pulumi's TypeScript mode).
                    tsNode.on();
                    try {
                        const noop = await timed(() => arm.run("noop", round));
                        const preview = await timed(() => arm.run("prCheck", round));
                        if (round > 0) { record("pulumi (ts-node)", "noop", noop); record("pulumi (ts-node)", "prCheck", preview); }
                    } finally {
                        tsNode.off();
                    }
                }
                arm.remove();
            }
            console.error(`round ${round}${round === 0 ? " (warm-up)" : ""} done`);
        }
        // One install traced line by line, for where its time goes.
        const traced = await tracedUp(stack, workDir);
        trace = milestones(traced.lines, traced.total);
        // On the deployed stack: where a no-op's time goes, call by call.
        breakdown = noopBreakdown(workDir, { ...process.env, ...pulumiEnv(workDir) }, stack.name);
        pulumi.remove();
    } finally {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(stack.name).catch(() => undefined);
        removeScratch(workDir);
        chart.dispose();
    }
    if (!breakdown) throw new Error("the no-op breakdown did not run");
    return { samples, arms, objects, trace, breakdown };
}

/**
 * The engine's floor: a Pulumi program of `objects` plain ConfigMaps (no await, no dependency between
 * them) and its Kubernetes provider, run the same way (`pulumi up`, `pulumi preview`, JavaScript, a
 * file backend). With 0 objects it is the fixed cost; with as many objects as this program has, it
 * is what any program managing that many objects pays.
 */
function engineFloor(objects: number): { install: number; noop: number; preview: number; breakdown: NoopBreakdown } {
    const dir = mkdtempSync(join(tmpdir(), "the0-floor-"));
    const ns = "the0-floor";
    try {
        symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
        mkdirSync(join(dir, ".state"));
        writeFileSync(join(dir, "Pulumi.yaml"), "name: the0-floor\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
        writeFileSync(join(dir, "index.js"), [
            'const k8s = require("@pulumi/kubernetes");',
            'const provider = new k8s.Provider("k8s", {});',
            `for (let i = 0; i < ${objects}; i++) new k8s.core.v1.ConfigMap(\`cm-\${i}\`, { metadata: { name: \`cm-\${i}\`, namespace: "${ns}" }, data: { i: String(i) } }, { provider });`,
        ].join("\n"));
        const env = { ...process.env, PULUMI_BACKEND_URL: `file://${join(dir, ".state")}`, PULUMI_CONFIG_PASSPHRASE: "floor", PULUMI_SKIP_UPDATE_CHECK: "true" };
        const cli = (args: string[]) => execFileSync("pulumi", [...args, "--stack", "floor", "--non-interactive"], { cwd: dir, env, stdio: "ignore" });
        execFileSync("pulumi", ["stack", "init", "floor", "--secrets-provider", "passphrase", "--non-interactive"], { cwd: dir, env, stdio: "ignore" });
        kubectl("create", "namespace", ns);
        const once = (args: string[]) => { const t0 = performance.now(); cli(args); return performance.now() - t0; };
        const runs: Array<{ install: number; noop: number; preview: number }> = [];
        for (let i = 0; i <= RUNS; i++) {
            const install = once(["up", "--yes", "--skip-preview"]);
            const noop = once(["up", "--yes", "--skip-preview"]);
            const preview = once(["preview"]);
            cli(["destroy", "--yes", "--skip-preview"]);
            if (i > 0) runs.push({ install, noop, preview });
        }
        cli(["up", "--yes", "--skip-preview"]);
        const breakdown = noopBreakdown(dir, env, "floor");
        cli(["destroy", "--yes", "--skip-preview"]);
        return { install: median(runs.map((r) => r.install)), noop: median(runs.map((r) => r.noop)), preview: median(runs.map((r) => r.preview)), breakdown };
    } finally {
        kubectl("delete", "namespace", ns, "--ignore-not-found", "--wait=true", "--timeout=5m");
        rmSync(dir, { recursive: true, force: true });
    }
}

/** Where a no-op's time goes before the engine plans anything: each part timed on its own, medians of RUNS. */
function fixedCost(): Array<[string, number]> {
    const node = process.execPath;
    const time = (args: string[], cwd = ROOT) => median(Array.from({ length: RUNS }, () => {
        const t0 = performance.now();
        execFileSync(args[0], args.slice(1), { cwd, stdio: "ignore" });
        return performance.now() - t0;
    }));
    const bare = time([node, "-e", "0"]);
    const sdkK8s = time([node, "-e", "require('@pulumi/pulumi'); require('@pulumi/kubernetes')"]);
    // The program outside the engine: it loads and builds its config, then finds no engine to register with.
    const program = time([node, "-e", "try { require('./main.js') } catch {}"]);
    const programTsNode = time([node, "-r", "ts-node/register/transpile-only", "-e", "try { require('./index.ts') } catch {}"]);
    return [
        ["`pulumi version` (CLI start)", time(["pulumi", "version"])],
        ["Node start", bare],
        ["`@pulumi/pulumi` and `@pulumi/kubernetes` load", sdkK8s - bare],
        ["the program (compiled, main.js) load and config", program - sdkK8s],
        ["the same through ts-node, transpile-only (before compile-once)", programTsNode - sdkK8s],
    ];
}

/** Builds `factor` copies of every enabled app service (the catalog grown factor×) under mocks. */
async function catalogBuild(factor: number): Promise<{ ms: number; resources: number; services: number }> {
    const config = resolveConfig({ project: PROJECT, stack: "bench", values: devValues(), secretsProvided: [] });
    const entries = CATALOG.filter((e) => config.apps[e.key].enabled);
    const samples: number[] = [];
    let resources = 0;
    for (let run = 0; run < RUNS; run++) {
        resetCapture();
        samples.push(await timed(async () => {
            const plan = resolvePlan(config);
            const secrets = new AppSecrets(`bench-${run}-secrets`, { plan, inputs: {} });
            const ctx = { cfg: config, endpoints: plan.endpoints, secrets };
            for (let i = 0; i < factor; i++) {
                for (const entry of entries) {
                    const copy = { ...entry, component: `${entry.component}-${i}` };
                    new AppService(`bench-${run}-${copy.component}`, { entry: copy, settings: config.apps[entry.key], ctx });
                }
            }
            await settle();
        }));
        resources = capturedSoFar().length;
    }
    return { ms: median(samples), resources, services: entries.length * factor };
}

async function stackBuild(stack: string): Promise<{ ms: number; resources: number; model: Model }> {
    const samples: number[] = [];
    let model: Model | undefined;
    for (let run = 0; run < RUNS; run++) samples.push(await timed(async () => { model = await buildStack(stack); }));
    return { ms: median(samples), resources: model!.resources.length, model: model! };
}

interface Footprint {
    requests: { cpu: number; memory: number };
    limits: { cpu: number; memory: number };
}

/** Requests and limits of what runs permanently (Deployments at their replica floor, StatefulSets). */
function footprint(m: Model): Footprint {
    const f: Footprint = { requests: { cpu: 0, memory: 0 }, limits: { cpu: 0, memory: 0 } };
    for (const type of [T.Deployment, T.StatefulSet]) {
        for (const r of m.ofType(type)) {
            const o = unwrap(r.inputs);
            const hpa = m.ofType(T.HPA).map((h) => unwrap(h.inputs).spec).find((h) => h.scaleTargetRef.name === o.metadata.name);
            const replicas = hpa ? hpa.minReplicas : o.spec.replicas;
            for (const c of o.spec.template.spec.containers) {
                for (const kind of ["requests", "limits"] as const) {
                    f[kind].cpu += replicas * parseQuantity(c.resources[kind].cpu);
                    f[kind].memory += replicas * parseQuantity(c.resources[kind].memory);
                }
            }
        }
    }
    return f;
}

/** A default bot pod (the0's runtime): bot container 100m/256Mi + sync sidecar 10m/64Mi requested. */
const BOT_POD = { cpu: 0.11, memory: 320 * 2 ** 20 };
const MINIKUBE = { cpu: 4, memory: 8 * 2 ** 30 };
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;

function versions(): string {
    const line = (cmd: string, args: string[]) => {
        try {
            return execFileSync(cmd, args, { encoding: "utf8" }).split("\n")[0].trim();
        } catch {
            return "n/a";
        }
    };
    return [
        `- date: ${new Date().toISOString().slice(0, 10)}`,
        `- machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
        `- node ${process.version}; pulumi ${line("pulumi", ["version"])}; ${line("kube-apiserver", ["--version"])}; kubectl ${line("kubectl", ["version", "--client", "-o", "json"]).includes("{") ? JSON.parse(execFileSync("kubectl", ["version", "--client", "-o", "json"], { encoding: "utf8" })).clientVersion.gitVersion : "n/a"}`,
        `- @pulumi/pulumi ${require("@pulumi/pulumi/package.json").version}, @pulumi/kubernetes ${require("@pulumi/kubernetes/package.json").version}; kubernetes provider plugin ${line("sh", ["-c", "grep ^K8S_PROVIDER_VERSION= tools/offline-k8s/versions.env | cut -d= -f2"])}`,
        `- helm ${line(toolchainBin("helm"), ["version", "--short"])}; the0's chart ${line("sh", ["-c", `grep ^version: ${CHART}/Chart.yaml | cut -d' ' -f2`])} (../shared/peers/the0-chart)`,
        `- cluster: local control plane with kwok nodes (tools/offline-k8s/offline-k8s.sh cluster up dev); each figure is the median of ${RUNS} runs`,
    ].join("\n");
}

/** A no-op of this program beside one of the floor's, phase by phase and call by call (the engine's gRPC log). */
function breakdownReport(mine: NoopBreakdown, floor: NoopBreakdown, objects: number): string[] {
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const sum = (c?: CallSum) => (c ? `${c.calls} × ${(c.ms / c.calls).toFixed(1)} ms = ${ms(c.ms)}` : "–");
    const out = ["### Where a no-op's time goes (one `pulumi up` each with the engine's gRPC log on, PULUMI_DEBUG_GRPC, which slows both alike)", ""];
    out.push(`| Phase | this program | the floor (${objects} ConfigMaps) | difference |`, "| --- | --- | --- | --- |");
    const phases: Array<[keyof NoopBreakdown["phases"], string]> = [
        ["toProgram", "CLI start, plugins found, language host started"],
        ["toStack", "Node, the SDK and its runner, up to the stack resource"],
        ["toFirstResource", "the program's prelude to its first resource (`@pulumi/kubernetes` load; here also config, validation, the live checks)"],
        ["registrations", "first to last registration: the engine's steps (Check and Diff in the provider), one at a time"],
        ["toExit", "outputs, the checkpoint, plugins stopped, CLI exit"],
    ];
    for (const [key, label] of phases) out.push(`| ${label} | ${ms(mine.phases[key])} | ${ms(floor.phases[key])} | ${ms(mine.phases[key] - floor.phases[key])} |`);
    out.push(`| wall time, log on | ${ms(mine.wallMs)} | ${ms(floor.wallMs)} | ${ms(mine.wallMs - floor.wallMs)} |`);
    const packages = (b: NoopBreakdown) => Object.entries(b.registeredByPackage).sort((a, c) => c[1] - a[1]).map(([p, n]) => `${p} ${n}`).join(", ");
    out.push("", `| Calls | this program | the floor |`, "| --- | --- | --- |");
    out.push(`| resources registered, by package | ${packages(mine)} | ${packages(floor)} |`);
    for (const m of ["RegisterResource", "RegisterResourceOutputs"]) out.push(`| program → engine: ${m} | ${mine.programCalls[m] ?? 0} | ${floor.programCalls[m] ?? 0} |`);
    for (const m of ["Check", "Diff", "Configure"]) out.push(`| engine → providers: ${m} | ${sum(mine.pluginCalls[m])} | ${sum(floor.pluginCalls[m])} |`);
    out.push(`| state (file backend) | ${(mine.state.bytes / 1024).toFixed(0)} KiB, ${mine.state.resources} resources, ${mine.state.secrets} secret values | ${(floor.state.bytes / 1024).toFixed(0)} KiB, ${floor.state.resources} resources, ${floor.state.secrets} secret values |`);
    out.push("", "Provider Check and Diff in this program's no-op, by kind:", "");
    out.push("| Kind | Check + Diff |", "| --- | --- |");
    for (const [kind, c] of Object.entries(mine.checkDiffByType).sort((a, b) => b[1].ms - a[1].ms)) out.push(`| \`${kind}\` | ${sum(c)} |`);
    out.push("");
    return out;
}

async function main(): Promise<void> {
    const out: string[] = [];
    out.push(versions(), "");

    const { samples, arms, objects, trace, breakdown } = await headToHead();
    const stat = (arm: string, op: string) => {
        const xs = samples[arm]?.[op] ?? [];
        return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
    };
    const cell = (arm: string, op: string) => { const x = stat(arm, op); return `${secondsOf(x.median)} s (${secondsOf(x.min)}–${secondsOf(x.max)})`; };
    const LABELS: Record<string, string> = { install: "empty → every workload Ready", noop: "no-op", prCheck: "PR check", imageChange: "one image tag" };
    const [pulumiA, chartA, helmA, floorA] = arms;
    const of = (arm: Arm, op: string) => stat(arm.name, op).median;
    const empty = engineFloor(0);
    const flat = engineFloor(objects[pulumiA.name]);

    out.push(`### Head to head (dev stack, 1 node; median and min–max of ${RUNS} rounds, arms alternated, after a warm-up round)`, "");
    out.push("| Operation | pulumi (this program) | the0's chart via Pulumi | helm | kubectl floor | pulumi / chart via Pulumi | pulumi / helm |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const op of OPERATIONS) {
        out.push(`| ${LABELS[op]} | ${cell(pulumiA.name, op)} | ${cell(chartA.name, op)} | ${cell(helmA.name, op)} | ${cell(floorA.name, op)} | ${(of(pulumiA, op) / of(chartA, op)).toFixed(2)}× | ${(of(pulumiA, op) / of(helmA, op)).toFixed(1)}× |`);
    }
    out.push("", "Commands: " + arms.map((a) => `${a.name}: ${OPERATIONS.map((op) => `\`${a.commands[op]}\``).join(", ")}`).join("; ") + ".");
    out.push("", `Objects managed: pulumi ${objects[pulumiA.name]} (Kubernetes objects in the state: NetworkPolicies, PDBs, RBAC and the preview identity included), the0's chart via Pulumi ${objects[chartA.name]} (the chart's objects and the namespace, in the state), helm ${objects[helmA.name]} (in the release manifest), kubectl ${objects[floorA.name]} (the program's objects rendered under mocks).`, "");

    // Each goal with its figure from this run, and the verdict the figure gives.
    const goals: Array<[string, number, number]> = [
        ...OPERATIONS.map((op): [string, number, number] => [`${LABELS[op]}: this program / the0's chart via Pulumi`, of(pulumiA, op) / of(chartA, op), 1.0]),
        [`no-op: this program / the engine's floor for ${objects[pulumiA.name]} objects`, of(pulumiA, "noop") / flat.noop, 1.15],
        [`PR check: this program / the engine's floor for ${objects[pulumiA.name]} objects`, of(pulumiA, "prCheck") / flat.preview, 1.15],
        ...(Object.entries({ install: 1.3, noop: 2, prCheck: 3, imageChange: 2 }) as Array<[Operation, number]>).map(([op, goal]): [string, number, number] => [`${LABELS[op]}: this program / helm`, of(pulumiA, op) / of(helmA, op), goal]),
    ];
    out.push("### Goals (verdicts from this run's medians)", "");
    out.push("| Goal | measured | target | |", "| --- | --- | --- | --- |");
    for (const [what, ratio, target] of goals) out.push(`| ${what} | ${ratio.toFixed(2)}× | ≤ ${target.toFixed(2)}× | ${ratio <= target ? "met" : "not met"} |`);
    out.push("");

    out.push("### Compile once (the program loaded as JavaScript, `main.js`, instead of ts-node)", "");
    out.push("| Operation | compiled (`main.js`) | ts-node, transpile-only (before) | saved |", "| --- | --- | --- | --- |");
    for (const op of ["noop", "prCheck"] as const) {
        const a = stat(pulumiA.name, op).median, b = stat("pulumi (ts-node)", op).median;
        out.push(`| ${LABELS[op]} (\`${pulumiA.commands[op]}\`) | ${secondsOf(a)} s | ${secondsOf(b)} s | ${secondsOf(b - a)} s |`);
    }
    out.push("", "### One install, traced (output lines timestamped as they arrive)", "");
    out.push("| Milestone | at | since the previous |", "| --- | --- | --- |");
    trace.forEach(([what, ms], i) => out.push(`| ${what} | ${secondsOf(ms)} s | ${secondsOf(ms - (i > 0 ? trace[i - 1][1] : 0))} s |`));
    out.push("", "### Fixed cost before the first resource (each part timed on its own, outside the engine)", "");
    out.push("| Part | Time |", "| --- | --- |");
    for (const [part, ms] of fixedCost()) out.push(`| ${part} | ${ms.toFixed(0)} ms |`);
    const helmOf = (op: string) => stat(helmA.name, op).median;
    out.push("", `### The engine's floor (the same CLI commands on a program of plain ConfigMaps and its provider; medians of ${RUNS} rounds)`, "");
    out.push(`| Operation | no object | ${objects[pulumiA.name]} objects, no dependencies, no awaits | this program (${objects[pulumiA.name]} objects) | helm |`, "| --- | --- | --- | --- | --- |");
    const row = (label: string, op: Operation, floorKey: "install" | "noop" | "preview") => {
        const x = (ms: number) => `${secondsOf(ms)} s (${(ms / helmOf(op)).toFixed(1)}×)`;
        out.push(`| ${label} | ${x(empty[floorKey])} | ${x(flat[floorKey])} | ${x(stat(pulumiA.name, op).median)} | ${secondsOf(helmOf(op))} s |`);
    };
    row("empty → Ready (`pulumi up`)", "install", "install");
    row("no-op (`pulumi up`)", "noop", "noop");
    row("PR check (`pulumi preview`)", "prCheck", "preview");
    out.push("");
    out.push(...breakdownReport(breakdown, flat.breakdown, objects[pulumiA.name]));

    out.push("### Program evaluation under mocks", "");
    out.push("| Program | Registered resources | Time | ms per resource |", "| --- | --- | --- | --- |");
    const models: Record<string, Model> = {};
    for (const stack of ["dev", "staging", "production"]) {
        const s = await stackBuild(stack);
        models[stack] = s.model;
        out.push(`| stack ${stack} | ${s.resources} | ${s.ms.toFixed(0)} ms | ${(s.ms / s.resources).toFixed(2)} |`);
    }
    const growth = [];
    for (const factor of [1, 10, 100]) {
        const c = await catalogBuild(factor);
        growth.push(c);
        out.push(`| app tier, catalog ×${factor} (${c.services} services) | ${c.resources} | ${c.ms.toFixed(0)} ms | ${(c.ms / c.resources).toFixed(2)} |`);
    }
    const perResource = growth.map((g) => g.ms / g.resources);
    out.push("", `Growth: ×100 services cost ${(growth[2].ms / growth[0].ms).toFixed(0)}× the time of ×1 for ${(growth[2].resources / growth[0].resources).toFixed(0)}× the resources (per-resource cost ${perResource.map((x) => x.toFixed(2)).join(" → ")} ms): ${perResource[2] <= perResource[0] * 2 ? "linear" : "worse than linear"}.`, "");

    // Monitoring switched on: what it adds to the stack's own pods (the exporter sidecars). The monitoring
    // stack's pods (Prometheus, Grafana, kube-state-metrics) are the chart's, in their own namespace.
    models["dev, monitoring on"] = await buildStack("dev", { overrides: { monitoring: JSON.stringify({ enabled: true, stack: "existing" }) } });
    out.push("### Footprint (permanent workloads at their replica floor; the gc CronJob adds 50m/64Mi every 5 minutes)", "");
    out.push("| Stack | CPU requests | memory requests | CPU limits | memory limits |", "| --- | --- | --- | --- | --- |");
    for (const [stack, m] of Object.entries(models)) {
        const f = footprint(m);
        out.push(`| ${stack} | ${f.requests.cpu.toFixed(2)} | ${gib(f.requests.memory)} | ${f.limits.cpu.toFixed(2)} | ${gib(f.limits.memory)} |`);
    }
    const monitored = footprint(models["dev, monitoring on"]);
    const dev = footprint(models.dev);
    out.push("", `Monitoring on the dev stack adds ${((monitored.requests.cpu - dev.requests.cpu) * 1000).toFixed(0)}m CPU and ${((monitored.requests.memory - dev.requests.memory) / 2 ** 20).toFixed(0)} MiB of requests (the NATS and PostgreSQL exporter sidecars; MinIO serves its own metrics), plus the monitoring stack's own pods when it installs kube-prometheus-stack.`);
    const left = { cpu: MINIKUBE.cpu - dev.requests.cpu, memory: MINIKUBE.memory - dev.requests.memory };
    const bots = Math.floor(Math.min(left.cpu / BOT_POD.cpu, left.memory / BOT_POD.memory));
    out.push("", `On Minikube's 4 CPU / 8 GiB the dev stack requests ${dev.requests.cpu.toFixed(2)} CPU and ${gib(dev.requests.memory)}, leaving ${left.cpu.toFixed(2)} CPU and ${gib(left.memory)} (before Kubernetes' own pods): room for **${bots} default bot pods** (${BOT_POD.cpu * 1000}m / 320Mi requested each).`);

    const report = out.join("\n");
    console.log(report);
    const path = join(ROOT, "docs", "performance.md");
    const doc = readFileSync(path, "utf8");
    writeFileSync(path, doc.replace(/(<!-- BEGIN BENCH -->)[\s\S]*?(<!-- END BENCH -->)/, `$1\n${report}\n$2`));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
