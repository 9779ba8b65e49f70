// Processes the contract and the0 suites (and the benchmark's start-up measurement) start: bound to
// 127.0.0.1, logged to a scratch directory, stopped by PID (SIGTERM, then SIGKILL) when the run ends,
// whatever happens.
import { ChildProcess, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import { appendFileSync, chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from "fs";
import { request } from "http";
import { createServer } from "net";
import { tmpdir } from "os";
import { basename, dirname, join, relative } from "path";

export const SCRATCH = mkdtempSync(join(process.env.THE0_CONTRACT_SCRATCH ?? tmpdir(), "the0-contract-"));
// Pods run as their own users; they must reach their directories under the scratch area.
chmodSync(SCRATCH, 0o755);

/**
 * A server binary (or, with `tree`, the directory it lives in) copied where a pod's user can run
 * it: the toolchain cache may sit in root's home, which other users cannot enter.
 */
export function forPodUser(path: string, tree?: string): string {
    if (process.getuid?.() !== 0) return path;
    const source = tree ?? dirname(path);
    // One copy per source (two PostgreSQL majors both ship a native/ tree).
    const target = join(SCRATCH, "bin", `${createHash("sha256").update(source).digest("hex").slice(0, 8)}-${basename(source)}`);
    if (!existsSync(target)) {
        mkdirSync(join(SCRATCH, "bin"), { recursive: true, mode: 0o755 });
        cpSync(tree ?? path, tree ? target : join(target, basename(path)), { recursive: true, verbatimSymlinks: true });
    } else if (!tree && !existsSync(join(target, basename(path)))) {
        cpSync(path, join(target, basename(path)));
    }
    return tree ? join(target, relative(tree, path)) : join(target, basename(path));
}

export class ServerProcess {
    private exited = false;

    constructor(readonly name: string, readonly child: ChildProcess, readonly logFile: string) {
        child.on("exit", () => { this.exited = true; });
        child.on("error", (e) => {
            this.exited = true;
            appendFileSync(logFile, `\ncould not start: ${e.message}\n`);
        });
    }

    /** The process's real and effective uid and gid, as the kernel reports them (Linux /proc). */
    identity(): { uids: number[]; gids: number[] } {
        const status = readFileSync(`/proc/${this.child.pid}/status`, "utf8");
        const ids = (field: string) => (new RegExp(`^${field}:\\s+(.*)$`, "m").exec(status)?.[1] ?? "").split(/\s+/).slice(0, 2).map(Number);
        return { uids: ids("Uid"), gids: ids("Gid") };
    }

    get running(): boolean {
        return !this.exited;
    }

    log(): string {
        return readFileSync(this.logFile, "utf8");
    }

    async stop(): Promise<void> {
        if (this.exited || this.child.pid === undefined) return;
        const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
        process.kill(this.child.pid, "SIGTERM");
        const timer = setTimeout(() => { if (!this.exited && this.child.pid) process.kill(this.child.pid, "SIGKILL"); }, 10_000);
        await gone;
        clearTimeout(timer);
    }
}

const started: ServerProcess[] = [];

/** A pod's user, honoured when the suite runs as root (PostgreSQL refuses to run as root). */
export interface RunAs {
    uid: number;
    gid: number;
}

function asUser(user?: RunAs): { uid?: number; gid?: number } {
    return user && process.getuid?.() === 0 ? { uid: user.uid, gid: user.gid } : {};
}

/** Gives a pod's directories to its user, as fsGroup and emptyDir ownership would. */
export function chownTree(dir: string, user?: RunAs): void {
    if (!user || process.getuid?.() !== 0) return;
    const walk = (p: string) => {
        chownSync(p, user.uid, user.gid);
        if (statSync(p).isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    };
    walk(dir);
}

export function start(name: string, bin: string, args: string[], env: Record<string, string> = {}, user?: RunAs): ServerProcess {
    mkdirSync(join(SCRATCH, "logs"), { recursive: true });
    const logFile = join(SCRATCH, "logs", `${name}.log`);
    const fd = openSync(logFile, "a");
    const child = spawn(bin, args, { cwd: SCRATCH, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", fd, fd], ...asUser(user) });
    closeSync(fd);
    const p = new ServerProcess(name, child, logFile);
    started.push(p);
    return p;
}

export async function stopAll(): Promise<void> {
    await Promise.all(started.splice(0).map((p) => p.stop()));
}

// A crashed mocha run must not leave servers behind; the scratch area goes too (THE0_CONTRACT_KEEP=1 keeps it
// and its server logs for a look).
process.on("exit", () => {
    for (const p of started) if (p.running && p.child.pid) try { process.kill(p.child.pid, "SIGKILL"); } catch { /* gone */ }
    if (process.env.THE0_CONTRACT_KEEP !== "1") rmSync(SCRATCH, { recursive: true, force: true });
});

/** Runs a command to completion; throws with its output when it fails. */
export function run(bin: string, args: string[], env: Record<string, string> = {}, input?: string, user?: RunAs): string {
    const r = spawnSync(bin, args, { cwd: SCRATCH, env: { PATH: process.env.PATH ?? "", ...env }, input, encoding: "utf8", maxBuffer: 64 * 2 ** 20, ...asUser(user) });
    if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${r.status}: ${r.stderr}${r.stdout}`);
    return r.stdout;
}

/** `run` without blocking the event loop: processes started before it keep being watched meanwhile. */
export function runAsync(bin: string, args: string[], env: Record<string, string> = {}, user?: RunAs): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(bin, args, { cwd: SCRATCH, env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"], ...asUser(user) });
        let out = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (out += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${bin} ${args.join(" ")} exited ${code}: ${out}`))));
    });
}

/**
 * A free port below the kernel's ephemeral range (32768+ on Linux). Ports are reserved here and bound
 * by the servers moments later; an ephemeral one could meanwhile be taken by an outgoing connection
 * (NATS routes, MinIO peers), so the suite stays out of that range.
 */
const PORT_BASE = 20000 + Math.floor(Math.random() * 8000);
let nextPort = PORT_BASE;

export async function freePort(): Promise<number> {
    while (nextPort < 32000) {
        const port = nextPort++;
        if (await canBind(port)) return port;
    }
    throw new Error("no free port below 32000");
}

function canBind(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const srv = createServer();
        srv.once("error", () => resolve(false));
        srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000, server?: ServerProcess): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            if (await check()) return;
        } catch {
            /* not yet */
        }
        if (server && !server.running) throw new Error(`${server.name} exited while waiting for ${what}:\n${server.log().slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${server ? `:\n${server.log().slice(-3000)}` : ""}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

/** Status code of GET http://127.0.0.1:<port><path>, as an httpGet probe sees it. */
export function httpStatus(port: number, path: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path, method: "GET", timeout: 5000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.end();
    });
}

/**
 * In-cluster host:port pairs mapped to loopback ports. The suite rewrites only these
 * (and mount paths); everything else is used exactly as rendered.
 */
export class Loopback {
    private readonly ports = new Map<string, number>();

    async map(host: string, port: number): Promise<number> {
        const key = `${host}:${port}`;
        if (!this.ports.has(key)) this.ports.set(key, await freePort());
        return this.ports.get(key)!;
    }

    /** Another name for an already mapped port (a Service in front of a pod). */
    alias(host: string, port: number, local: number): void {
        this.ports.set(`${host}:${port}`, local);
    }

    port(host: string, port: number): number {
        const local = this.ports.get(`${host}:${port}`);
        if (local === undefined) throw new Error(`${host}:${port} is not mapped`);
        return local;
    }

    /** Replaces every mapped host:port (longest host first) with 127.0.0.1:<local>. */
    rewrite(text: string): string {
        const keys = [...this.ports.keys()].sort((a, b) => b.length - a.length);
        let out = text;
        for (const key of keys) out = out.split(key).join(`127.0.0.1:${this.ports.get(key)}`);
        return out;
    }

    /**
     * An environment with mapped endpoints rewritten. `split` names host/port variable pairs
     * (the0's api reads MINIO_ENDPOINT and MINIO_PORT separately).
     */
    rewriteEnv(env: Record<string, string>, split: Array<[string, string]> = []): Record<string, string> {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(env)) out[k] = this.rewrite(v);
        for (const [hostVar, portVar] of split) {
            if (env[hostVar] === undefined || env[portVar] === undefined) continue;
            const local = this.ports.get(`${env[hostVar]}:${env[portVar]}`);
            if (local !== undefined) {
                out[hostVar] = "127.0.0.1";
                out[portVar] = String(local);
            }
        }
        return out;
    }
}
