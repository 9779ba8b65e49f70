// Where a no-op `pulumi up` spends its time, call by call: the engine's own gRPC log
// (PULUMI_DEBUG_GRPC, every call with its duration) of one no-op on a deployed stack, summed by
// method and by resource kind, with the size of the state the engine reads and writes. The log
// costs time of its own, so the wall time here is not a benchmark figure; the shares are what count.
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/** One entry of the engine's gRPC debug log (pulumi sdk/go/pulumi-internal/rpcdebug/logformat.go). */
interface GrpcLogEntry {
    method: string;
    request?: { urn?: string; type?: string; name?: string };
    /** `client`: the engine calling a plugin (provider, language host); `server`: the program calling the engine. */
    metadata?: { mode?: string };
    progress?: string;
    timestamp: string;
    /** Go's time.Duration, nanoseconds; right only on the engine's client side (its server side logs no start time). */
    duration?: number;
}

export interface CallSum {
    calls: number;
    ms: number;
}

/** The no-op's phases, from the log's timestamps (ms after the CLI logged its first call). */
export interface NoopPhases {
    /** The CLI starting the language host (plugins found, host started). */
    toProgram: number;
    /** Node, the SDK and the runner up to the stack resource. */
    toStack: number;
    /** The program's prelude: its modules, config, validation, the live checks, up to its first resource. */
    toFirstResource: number;
    /** From the first resource to the last registration answered: the engine's steps, one after another. */
    registrations: number;
    /** From the last registration to the end of the program and the CLI's exit (outputs, checkpoint). */
    toExit: number;
}

export interface NoopBreakdown {
    /** Wall time of the logged no-op (logging included). */
    wallMs: number;
    phases: NoopPhases;
    /** Calls the engine makes to the providers and the language host: count and summed duration, by method. */
    pluginCalls: Record<string, CallSum>;
    /** Calls the program makes to the engine (RegisterResource, ...): count only (the log has no start time for them). */
    programCalls: Record<string, number>;
    /** Provider Check and Diff calls, by the resource's type token. */
    checkDiffByType: Record<string, CallSum>;
    /** Resources registered by the program, by package (`kubernetes`, `random`, `the0` components, ...). */
    registeredByPackage: Record<string, number>;
    /** The stack's state as the file backend holds it. */
    state: { bytes: number; resources: number; secrets: number };
}

/** `urn:pulumi:stack::project::a$b$kubernetes:apps/v1:Deployment::name` → `kubernetes:apps/v1:Deployment`. */
export function typeOfUrn(urn: string): string {
    const types = urn.split("::")[2] ?? "";
    return types.split("$").pop() ?? types;
}

function add(into: Record<string, CallSum>, key: string, ns: number): void {
    const sum = (into[key] ??= { calls: 0, ms: 0 });
    sum.calls += 1;
    sum.ms += ns / 1e6;
}

/** Sums a gRPC debug log (one JSON object per line) of one run that took `wallMs`. */
export function summarise(log: string, wallMs: number): Omit<NoopBreakdown, "wallMs" | "state"> {
    const entries = log.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as GrpcLogEntry);
    const at = (e: GrpcLogEntry) => Date.parse(e.timestamp);
    const t0 = Math.min(...entries.map(at).filter((t) => t > 0));
    const pluginCalls: Record<string, CallSum> = {};
    const programCalls: Record<string, number> = {};
    const checkDiffByType: Record<string, CallSum> = {};
    const registeredByPackage: Record<string, number> = {};
    const registered: Array<{ type: string; at: number }> = [];
    let run: { start: number; end: number } | undefined;
    for (const e of entries) {
        if (e.progress !== "response_completed") continue;
        const method = e.method.split("/").pop() ?? e.method;
        if (e.metadata?.mode === "server") {
            programCalls[method] = (programCalls[method] ?? 0) + 1;
            if (method === "RegisterResource" && e.request?.type) {
                registered.push({ type: e.request.type, at: at(e) - t0 });
                const pkg = e.request.type.split(":")[0];
                registeredByPackage[pkg] = (registeredByPackage[pkg] ?? 0) + 1;
            }
            continue;
        }
        add(pluginCalls, method, e.duration ?? 0);
        if (method === "Run") run = { start: at(e) - t0 - (e.duration ?? 0) / 1e6, end: at(e) - t0 };
        const urn = e.request?.urn;
        if ((method === "Check" || method === "Diff") && urn) add(checkDiffByType, typeOfUrn(urn), e.duration ?? 0);
    }
    if (!run || registered.length < 2) throw new Error("the gRPC log holds no program run with resources");
    registered.sort((a, b) => a.at - b.at);
    const stack = registered.find((r) => r.type === "pulumi:pulumi:Stack")?.at ?? registered[0].at;
    const first = registered.find((r) => r.type !== "pulumi:pulumi:Stack")?.at ?? stack;
    const last = registered[registered.length - 1].at;
    const phases: NoopPhases = {
        toProgram: run.start,
        toStack: stack - run.start,
        toFirstResource: first - stack,
        registrations: last - first,
        toExit: wallMs - last,
    };
    return { phases, pluginCalls, programCalls, checkDiffByType, registeredByPackage };
}

/** Runs one no-op `pulumi up` on `stack` in `cwd` with the gRPC log on, and sums it with the state's size. */
export function noopBreakdown(cwd: string, env: NodeJS.ProcessEnv, stack: string): NoopBreakdown {
    const dir = mkdtempSync(join(tmpdir(), "the0-grpc-"));
    try {
        const log = join(dir, "grpc.jsonl");
        const t0 = performance.now();
        execFileSync("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack], { cwd, env: { ...env, PULUMI_DEBUG_GRPC: log }, stdio: "ignore" });
        const wallMs = performance.now() - t0;
        const exported = execFileSync("pulumi", ["stack", "export", "--stack", stack], { cwd, env, encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
        const resources = JSON.parse(exported).deployment.resources as unknown[];
        const stateFile = join(String(env.PULUMI_BACKEND_URL).replace(/^file:\/\//, ""), ".pulumi", "stacks", projectOf(cwd), `${stack}.json`);
        return {
            wallMs,
            ...summarise(readFileSync(log, "utf8"), wallMs),
            state: { bytes: statSync(stateFile).size, resources: resources.length, secrets: (exported.match(/"4dabf18193072939515e22adb298388d"/g) ?? []).length },
        };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

function projectOf(cwd: string): string {
    const yaml = readFileSync(join(cwd, "Pulumi.yaml"), "utf8");
    const name = /^name:\s*(\S+)/m.exec(yaml)?.[1];
    if (!name) throw new Error(`no project name in ${cwd}/Pulumi.yaml`);
    return name;
}
