// the0's api and bot-controller started as pods of a rendered stack (sandbox.ts), and the
// api's HTTP interface as a user drives it (routes and bodies of the0 1.14's api: auth, custom-bots,
// bot). What the pods get differs from the rendering only by the rewrites each start lists.
import { readFileSync } from "fs";
import { join } from "path";
import { crc32 } from "zlib";
import { fullName } from "../../components/k8s/meta";
import { freePort, httpStatus, Loopback, ServerProcess, waitFor } from "./process";
import { RenderedContainer, RenderedStack } from "./render";
import { apiImage, frontendImage, runtimeImage } from "./images";
import { ImageLayout, PodFiles, SERVICE_ACCOUNT_DIR, startPod } from "./sandbox";

/** A rewrite of a rendered value for this machine: which variable or argument, from what, to what, and why. */
export interface Rewrite {
    what: string;
    from: string;
    to: string;
}

/** Variables and arguments whose change from the rendering is only a host or port (in-cluster name → loopback). */
export function rewritesOf(rendered: Record<string, string>, running: Record<string, string>): Rewrite[] {
    const keys = [...new Set([...Object.keys(rendered), ...Object.keys(running)])].sort();
    return keys.filter((k) => rendered[k] !== running[k]).map((k) => ({ what: k, from: rendered[k] ?? "(unset)", to: running[k] ?? "(unset)" }));
}

export interface RunningThe0 {
    pod: string;
    process: ServerProcess;
    container: RenderedContainer;
    /** Container port → loopback port. */
    ports: Map<number, number>;
    rewrites: Rewrite[];
}

type PodOptions = { podName?: string; env?: Record<string, string> };

/**
 * A Deployment's pod that serves HTTP on $PORT: the rendered container with its in-cluster endpoints
 * mapped to loopback (`split`: host and port variables given apart) and, on the machine's shared
 * network, a free PORT (the probes follow it). Started once `listening` holds for its port.
 */
async function startWebPod(r: RenderedStack, lb: Loopback, component: string, image: ImageLayout, split: Array<[string, string]>, listening: (port: number) => Promise<boolean>, opts: PodOptions): Promise<RunningThe0> {
    const name = fullName(r.config, component);
    const pod = opts.podName ?? `${name}-0`;
    const c = r.container("Deployment", name, pod);
    const port = await freePort();
    const env = { ...lb.rewriteEnv(c.env, split), PORT: String(port), ...opts.env };
    const process = startPod(pod, c, image, { env });
    const running = { pod, process, container: c, ports: new Map([[Number(c.env.PORT), port]]), rewrites: rewritesOf(c.env, env) };
    await waitFor(`${pod} listening`, () => listening(port), 120_000, process);
    return running;
}

/** The api's pod (it reads the MinIO host and port from two variables); started once /health answers 200. */
export function startApi(r: RenderedStack, lb: Loopback, opts: PodOptions = {}): Promise<RunningThe0> {
    return startWebPod(r, lb, "api", apiImage(), [["MINIO_ENDPOINT", "MINIO_PORT"]], async (port) => (await httpStatus(port, "/health")) === 200, opts);
}

/** The frontend's pod (the api's in-cluster URL mapped); started once it answers HTTP at all. */
export function startFrontend(r: RenderedStack, lb: Loopback, opts: PodOptions = {}): Promise<RunningThe0> {
    return startWebPod(r, lb, "frontend", frontendImage(), [], async (port) => (await httpStatus(port, "/")) > 0, opts);
}

/** The ports the runtime hard-codes (runtime/cmd/app/main.go: health 8080; controller/manager.go: query 9477). */
export const CONTROLLER_HEALTH_PORT = 8080;
export const CONTROLLER_QUERY_PORT = 9477;

export interface ApiServer {
    host: string;
    port: number;
    ca: string;
}

/**
 * The bot-controller's pod: the rendered command, args and env with in-cluster endpoints mapped to
 * loopback, plus what the kubelet gives every pod that mounts a service-account token: the API
 * server's address in KUBERNETES_SERVICE_HOST/PORT and the token, CA and namespace files.
 */
export async function startController(r: RenderedStack, lb: Loopback, cluster: ApiServer, token: string, opts: PodOptions = {}): Promise<RunningThe0> {
    const name = fullName(r.config, "bot-controller");
    const pod = opts.podName ?? `${name}-0`;
    const c = r.container("Deployment", name, pod);
    for (const port of [CONTROLLER_HEALTH_PORT, CONTROLLER_QUERY_PORT]) {
        if (!(await portFree(port))) throw new Error(`port ${port} is taken on 127.0.0.1; the runtime hard-codes it, so the bot-controller cannot start here`);
    }
    const env = { ...lb.rewriteEnv(c.env), KUBERNETES_SERVICE_HOST: cluster.host, KUBERNETES_SERVICE_PORT: String(cluster.port), ...opts.env };
    const args = c.args.map((a) => lb.rewrite(a));
    const files: PodFiles = { [SERVICE_ACCOUNT_DIR]: { token, "ca.crt": cluster.ca, namespace: r.config.kubernetes.namespace } };
    const process = startPod(pod, { ...c, args, mounts: [...c.mounts, { name: "kube-api-access", mountPath: SERVICE_ACCOUNT_DIR }] }, runtimeImage(), { env, files });
    const rewrites = [
        ...rewritesOf(c.env, env),
        ...c.args.flatMap((a, i) => (a === args[i] ? [] : [{ what: `arg ${a.split("=")[0]}`, from: a, to: args[i] }])),
    ];
    const running = { pod, process, container: c, ports: new Map([[CONTROLLER_HEALTH_PORT, CONTROLLER_HEALTH_PORT], [CONTROLLER_QUERY_PORT, CONTROLLER_QUERY_PORT]]), rewrites };
    await waitFor(`${pod} /healthz`, async () => (await httpStatus(CONTROLLER_HEALTH_PORT, "/healthz")) === 200, 60_000, process);
    return running;
}

/** Waits for a process that runs to completion (a Job's or CronJob's pod); its exit code. */
export function exitCodeOf(p: ServerProcess): Promise<number | null> {
    return new Promise((resolve) => (p.running ? p.child.once("exit", resolve) : resolve(p.child.exitCode)));
}

async function portFree(port: number): Promise<boolean> {
    try {
        await httpStatus(port, "/");
        return false;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "ECONNREFUSED";
    }
}

/** The api's migrations as its image holds them (drizzle's journal): the count a database must record. */
export function apiMigrationCount(): number {
    const app = apiImage().files.find((f) => f.path === "/app")!.host;
    const journal = JSON.parse(readFileSync(join(app, "dist/src/database/migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] };
    return journal.entries.length;
}

// ---------------------------------------------------------------------------------------------
// The api's HTTP interface, as the0's CLI and frontend use it.

export class ApiClient {
    token?: string;

    constructor(readonly base: string) {}

    async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
        const headers: Record<string, string> = {};
        if (this.token) headers.authorization = `Bearer ${this.token}`;
        let payload: string | FormData | undefined;
        if (body instanceof FormData) payload = body;
        else if (body !== undefined) {
            headers["content-type"] = "application/json";
            payload = JSON.stringify(body);
        }
        const res = await fetch(`${this.base}${path}`, { method, headers, body: payload });
        const text = await res.text();
        let json: any = text;
        try {
            json = JSON.parse(text);
        } catch {
            /* not JSON */
        }
        return { status: res.status, json };
    }

    /** POST /auth/login; keeps the token on success. */
    async login(email: string, password: string): Promise<{ status: number; json: any }> {
        const res = await this.call("POST", "/auth/login", { email, password });
        if (res.status === 201) this.token = res.json.data.token;
        return res;
    }

    /** Uploads a custom bot's ZIP (POST /custom-bots/:name/upload), then registers it (POST /custom-bots/:name). */
    async registerCustomBot(config: CustomBotConfig, files: Record<string, string>): Promise<{ upload: { status: number; json: any }; register: { status: number; json: any } }> {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(zipStored(files))], { type: "application/zip" }), `${config.name}.zip`);
        form.append("version", config.version);
        const upload = await this.call("POST", `/custom-bots/${config.name}/upload`, form);
        if (upload.status >= 300) return { upload, register: upload };
        const register = await this.call("POST", `/custom-bots/${config.name}`, { config: JSON.stringify(config), filePath: upload.json.filePath });
        return { upload, register };
    }
}

export interface CustomBotConfig {
    name: string;
    description: string;
    version: string;
    author: string;
    type: "realtime" | "scheduled";
    runtime: string;
    entrypoints: { bot: string; query?: string };
    schema: { bot: Record<string, unknown> };
    readme: string;
}

/** A realtime Python bot with a query entrypoint (so its pod gets the query sidecar the network policies name). */
export function realtimeBot(name: string): { config: CustomBotConfig; files: Record<string, string> } {
    return {
        config: {
            name,
            description: "the0-infra test bot",
            version: "1.0.0",
            author: "the0-infra",
            type: "realtime",
            runtime: "python3.11",
            entrypoints: { bot: "main.py", query: "query.py" },
            schema: { bot: { type: "object" } },
            readme: "A realtime bot of the0-infra's test suite: it prints a heartbeat every five seconds until stopped.",
        },
        files: {
            "main.py": "import time\n\ndef main(id, config):\n    while True:\n        print(f'alive {id}', flush=True)\n        time.sleep(5)\n",
            "query.py": "def handler(request):\n    return {'ok': True}\n",
        },
    };
}

/** A ZIP archive of the files, stored (no compression), at the archive's root as the api requires. */
export function zipStored(files: Record<string, string>): Buffer {
    const local: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    for (const [name, text] of Object.entries(files)) {
        const data = Buffer.from(text);
        const fileName = Buffer.from(name);
        const crc = crc32(data);
        const header = Buffer.alloc(30);
        header.writeUInt32LE(0x04034b50, 0);
        header.writeUInt16LE(20, 4);
        header.writeUInt32LE(crc, 14);
        header.writeUInt32LE(data.length, 18);
        header.writeUInt32LE(data.length, 22);
        header.writeUInt16LE(fileName.length, 26);
        const entry = Buffer.alloc(46);
        entry.writeUInt32LE(0x02014b50, 0);
        entry.writeUInt16LE(20, 4);
        entry.writeUInt16LE(20, 6);
        entry.writeUInt32LE(crc, 16);
        entry.writeUInt32LE(data.length, 20);
        entry.writeUInt32LE(data.length, 24);
        entry.writeUInt16LE(fileName.length, 28);
        entry.writeUInt32LE(offset, 42);
        local.push(header, fileName, data);
        central.push(entry, fileName);
        offset += header.length + fileName.length + data.length;
    }
    const centralSize = central.reduce((n, b) => n + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Object.keys(files).length, 8);
    end.writeUInt16LE(Object.keys(files).length, 10);
    end.writeUInt32LE(centralSize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...local, ...central, end]);
}
