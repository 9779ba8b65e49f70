// Real servers started with exactly what the program renders for a stack. The only changes are
// the ones a pod gets from Kubernetes and this suite must stand in for: in-cluster host names and
// ports are mapped to 127.0.0.1 (Loopback), each volume mount is a directory of the scratch area,
// and a container image's entrypoint (PostgreSQL's initdb, MongoDB's root user) is done by hand.
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from "fs";
import { spawnSync } from "child_process";
import { connect } from "net";
import { dirname, join } from "path";
import { headlessName } from "../../components/data/stateful";
import { fullName, serviceFqdn } from "../../components/k8s/meta";
import { chownTree, forPodUser, httpStatus, Loopback, run, runAsync, SCRATCH, ServerProcess, start, waitFor } from "./process";
import { toolchainBin } from "../toolchain/toolchainBin";
import { Probe, RenderedContainer, RenderedStack } from "./render";

/** Each mount path of a pod as a directory of its own under the scratch area. */
export class Mounts {
    readonly dirs = new Map<string, string>();

    constructor(readonly root: string, mountPaths: string[]) {
        for (const path of mountPaths) {
            const dir = join(root, path.replace(/^\//, "").replace(/\//g, "_"));
            mkdirSync(dir, { recursive: true });
            this.dirs.set(path, dir);
        }
    }

    /** Rewrites mount paths (whole path segments, longest first, in one pass) in a config text or argument. */
    rewrite(text: string): string {
        const paths = [...this.dirs.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
        const pattern = new RegExp(`(^|["'\\s=:])(${paths.join("|")})(?=$|[/"'\\s])`, "g");
        return text.replace(pattern, (_m, lead: string, path: string) => `${lead}${this.dirs.get(path)}`);
    }
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function podMounts(r: RenderedStack, c: RenderedContainer, pod: string, dataMountPath: string): Mounts {
    const root = join(SCRATCH, r.scratchName, pod);
    const mounts = new Mounts(root, [...new Set([...c.mounts.map((m) => m.mountPath), dataMountPath])]);
    chmodSync(join(SCRATCH, r.scratchName), 0o755);
    chownTree(root, c.user);
    return mounts;
}

function containerPort(c: RenderedContainer, name: string | number): number {
    if (typeof name === "number") return name;
    const p = c.ports.find((x) => x.name === name);
    if (!p) throw new Error(`${c.name} has no port named ${name}`);
    return p.containerPort;
}

/** The one pod of a single-replica data service: its rendered container, Service port mapped, mounts. */
async function singlePod(r: RenderedStack, lb: Loopback, component: string, servicePort: number, dataMountPath: string) {
    const name = fullName(r.config, component);
    const pod = `${name}-0`;
    const c = r.container("StatefulSet", name, pod);
    return { pod, c, port: await lb.map(name, servicePort), mounts: podMounts(r, c, pod, dataMountPath) };
}

export interface RunningPod {
    pod: string;
    process: ServerProcess;
    container: RenderedContainer;
    /** Loopback port of each container port (by container port number). */
    ports: Map<number, number>;
    /** PostgreSQL: the directory of its Unix socket (the pod's /var/run/postgresql). */
    socketDir?: string;
}

/** Runs an httpGet probe as the kubelet would, against the pod's loopback port; returns the status. */
export async function httpProbeStatus(pod: RunningPod, probe: Probe): Promise<number> {
    if (!probe.httpGet) throw new Error(`${pod.pod}: not an httpGet probe`);
    const port = pod.ports.get(containerPort(pod.container, probe.httpGet.port));
    if (port === undefined) throw new Error(`${pod.pod}: probe port ${probe.httpGet.port} is not mapped`);
    return httpStatus(port, probe.httpGet.path);
}

// ---------------------------------------------------------------------------------------------
// NATS: the rendered nats.conf and args; listen addresses moved to loopback with nats-server's
// own flags, routes' pod names mapped to the peers' loopback cluster ports.

export async function startNats(r: RenderedStack, lb: Loopback): Promise<RunningPod[]> {
    const cfg = r.config;
    const component = "nats";
    const name = fullName(cfg, component);
    const conf = r.configMap(`${name}-config`)["nats.conf"];
    const pods = Array.from({ length: cfg.nats.replicas }, (_, i) => `${name}-${i}`);
    const fqdn = (pod: string) => serviceFqdn(cfg, `${pod}.${headlessName(cfg, component)}`);
    const running: RunningPod[] = [];
    for (const pod of pods) {
        const c = r.container("StatefulSet", name, pod);
        const ports = new Map<number, number>();
        for (const p of c.ports) ports.set(p.containerPort, await lb.map(fqdn(pod), p.containerPort));
        running.push({ pod, process: undefined as unknown as ServerProcess, container: c, ports });
    }
    // The client Service `the0-nats:4222` reaches the first pod.
    lb.alias(name, 4222, running[0].ports.get(4222)!);

    for (const p of running) {
        const mounts = podMounts(r, p.container, p.pod, "/data");
        const configDir = mounts.dirs.get("/etc/nats-config")!;
        writeFileSync(join(configDir, "nats.conf"), mounts.rewrite(lb.rewrite(conf)));
        chownTree(configDir, p.container.user);
        const args = p.container.args.map((a) => mounts.rewrite(a));
        const listen = ["-a", "127.0.0.1", "-p", String(p.ports.get(4222)), "-m", String(p.ports.get(8222))];
        if (cfg.nats.replicas > 1) listen.push("--cluster", `nats://127.0.0.1:${p.ports.get(6222)}`);
        p.process = start(p.pod, forPodUser(toolchainBin("nats-server")), [...args, ...listen], p.container.env, p.container.user);
    }
    for (const p of running) {
        await waitFor(`${p.pod} /healthz`, async () => (await httpProbeStatus(p, p.container.probes.startup!)) === 200, 60_000, p.process);
    }
    return running;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the image's entrypoint (initdb with POSTGRES_USER and POSTGRES_PASSWORD, scram-sha-256
// for TCP, then POSTGRES_DB) done by hand, then the server with its rendered PGDATA.

/** The PostgreSQL the program pins (THE0_POSTGRES_BIN), or the next major for the upgrade test (THE0_POSTGRES_NEXT_BIN). */
export type PostgresInstall = "THE0_POSTGRES_BIN" | "THE0_POSTGRES_NEXT_BIN";

export function postgresBin(name: string, install: PostgresInstall = "THE0_POSTGRES_BIN"): string {
    const dir = process.env[install];
    if (!dir) throw new Error(`${install} is not set: run the suite with \`npm run test:contract\``);
    // bin/ finds lib/ and share/ beside it: copy the whole installation.
    return forPodUser(join(dir, name), dirname(dir));
}

export async function startPostgres(r: RenderedStack, lb: Loopback, install: PostgresInstall = "THE0_POSTGRES_BIN"): Promise<RunningPod> {
    const { pod, c, port, mounts } = await singlePod(r, lb, "postgres", 5432, "/var/lib/postgresql/data");
    const env = c.env;
    const pgdata = mounts.rewrite(env.PGDATA);
    const pwfile = join(SCRATCH, r.scratchName, pod, "pwfile");
    // As docker-entrypoint.sh: --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD"); initdb reads the first line.
    writeFileSync(pwfile, `${env.POSTGRES_PASSWORD}\n`, { mode: 0o600 });
    if (process.getuid?.() === 0) chownSync(pwfile, c.user.uid, c.user.gid);
    const nss = nssWrapper(join(SCRATCH, r.scratchName, pod), c.user, "postgres");
    // Not blocking: a pod started beside it (the api, in the chart's order) is watched meanwhile.
    await runAsync(postgresBin("initdb", install), ["-D", pgdata, `--username=${env.POSTGRES_USER}`, `--pwfile=${pwfile}`, "--auth-local=trust", "--auth-host=scram-sha-256"], nss, c.user);
    const socketDir = mounts.dirs.get("/var/run/postgresql")!;
    const process_ = start(pod, postgresBin("postgres", install), ["-D", pgdata, "-h", "127.0.0.1", "-p", String(port), "-k", socketDir], { PGDATA: pgdata, ...nss }, c.user);
    await waitFor("postgres accepting connections", () => {
        run(pgIsReady(), ["-h", "127.0.0.1", "-p", String(port)]);
        return true;
    }, 60_000, process_);
    // As docker_setup_db: CREATE DATABASE "$POSTGRES_DB" unless it is `postgres`, over the socket.
    if (env.POSTGRES_DB !== "postgres") {
        run(psql(), ["-v", "ON_ERROR_STOP=1", "-h", socketDir, "-p", String(port), "-U", env.POSTGRES_USER, "-d", "postgres", "-c", `CREATE DATABASE "${env.POSTGRES_DB}"`]);
    }
    return { pod, process: process_, container: c, ports: new Map([[5432, port]]), socketDir };
}

/**
 * The image has a passwd entry for its user (postgres, uid 70) and initdb looks it up; where this
 * machine has none, nss_wrapper supplies it, as the postgres image's own entrypoint does for
 * arbitrary uids.
 */
export function nssWrapper(dir: string, user: { uid: number; gid: number }, name: string): Record<string, string> {
    if (process.getuid?.() !== 0 || spawnSync("getent", ["passwd", String(user.uid)]).status === 0) return {};
    const passwd = join(dir, "nss-passwd");
    const group = join(dir, "nss-group");
    writeFileSync(passwd, `${name}:x:${user.uid}:${user.gid}:${name}:${dir}:/bin/sh\n`, { mode: 0o644 });
    writeFileSync(group, `${name}:x:${user.gid}:\n`, { mode: 0o644 });
    return { LD_PRELOAD: NSS_WRAPPER_LIB, NSS_WRAPPER_PASSWD: passwd, NSS_WRAPPER_GROUP: group };
}

/** Debian's libnss-wrapper (scripts/contract.sh installs it). */
const NSS_WRAPPER_LIB = "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so";

/** A PostgreSQL client tool: Debian's PostgreSQL 15 client where present, else the one on PATH. */
function pgClient(name: string): string {
    const debian15 = `/usr/lib/postgresql/15/bin/${name}`;
    return existsSync(debian15) ? debian15 : name;
}

export function pgIsReady(): string {
    return pgClient("pg_isready");
}

export function psql(): string {
    return pgClient("psql");
}

/** Runs the rendered exec probe (`/bin/sh -c "pg_isready ..."`) with the pod's port mapped. */
export function runExecProbe(pod: RunningPod, probe: Probe, env: Record<string, string>): string {
    if (!probe.exec) throw new Error(`${pod.pod}: not an exec probe`);
    const [bin, ...args] = probe.exec.command;
    return run(bin, args, { PATH: `${dirname(pgIsReady())}:${process.env.PATH ?? ""}`, ...env });
}

// ---------------------------------------------------------------------------------------------
// MinIO: the rendered command (standalone `/data`, or the distributed ellipsis over the pods'
// FQDNs), MINIO_ROOT_USER/PASSWORD from the Secret; addresses and drives mapped per pod.

export async function startMinio(r: RenderedStack, lb: Loopback): Promise<RunningPod[]> {
    const cfg = r.config;
    const component = "minio";
    const name = fullName(cfg, component);
    const distributed = cfg.objectStorage.mode === "distributed";
    const replicas = distributed ? cfg.objectStorage.replicas : 1;
    const pods = Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
    const fqdn = (pod: string) => serviceFqdn(cfg, `${pod}.${headlessName(cfg, component)}`);
    const running: RunningPod[] = [];
    for (const pod of pods) {
        const c = r.container("StatefulSet", name, pod);
        const api = await lb.map(fqdn(pod), 9000);
        const console_ = await lb.map(fqdn(pod), 9001);
        running.push({ pod, process: undefined as unknown as ServerProcess, container: c, ports: new Map([[9000, api], [9001, console_]]) });
    }
    lb.alias(name, 9000, running[0].ports.get(9000)!);
    const mounts = running.map((p) => podMounts(r, p.container, p.pod, "/data"));

    for (const [i, p] of running.entries()) {
        const [bin, ...rest] = p.container.command;
        if (bin !== "minio") throw new Error(`unexpected MinIO command ${p.container.command.join(" ")}`);
        const args = rest.flatMap((a, j) => {
            const flag = rest[j - 1];
            if (flag === "--address") return [`127.0.0.1:${p.ports.get(9000)}`];
            if (flag === "--console-address") return [`127.0.0.1:${p.ports.get(9001)}`];
            if (a.startsWith("http://")) {
                // MinIO expands {0...N} itself; expand it here so each pod's FQDN maps to its own loopback port and drive.
                return expandEllipsis(a).map((url) => {
                    const k = pods.findIndex((pod) => url.startsWith(`http://${fqdn(pod)}/`));
                    if (k < 0) throw new Error(`drive ${url} is not one of the pods`);
                    return `http://127.0.0.1:${running[k].ports.get(9000)}${mounts[k].rewrite(url.slice(`http://${fqdn(pods[k])}`.length))}`;
                });
            }
            return [mounts[i].rewrite(a)];
        });
        // In a pod, its own FQDN resolves to its IP; on loopback every peer is 127.0.0.1, so tell MinIO which
        // endpoint is its own (its variable for orchestrated deployments, needed where /.dockerenv exists).
        // Each drive of a pod is a PVC; here all drives share the root filesystem, which distributed MinIO
        // refuses unless told it is a test (MINIO_CI_CD).
        const local: Record<string, string> = distributed ? { _MINIO_SERVER_LOCAL: `127.0.0.1:${p.ports.get(9000)}`, MINIO_CI_CD: "1" } : {};
        p.process = start(p.pod, forPodUser(toolchainBin("minio")), args, { ...p.container.env, HOME: mounts[i].rewrite(p.container.env.HOME ?? "/tmp"), ...local }, p.container.user);
    }
    for (const p of running) {
        await waitFor(`${p.pod} ready`, async () => (await httpProbeStatus(p, p.container.probes.readiness!)) === 200, 120_000, p.process);
    }
    // The erasure set has write quorum (MinIO's own cluster health), before the0's clients use it.
    await waitFor("MinIO write quorum", async () => (await httpStatus(running[0].ports.get(9000)!, "/minio/health/cluster")) === 200, 120_000, running[0].process);
    return running;
}

/** MinIO's `{a...b}` ellipsis, expanded. */
export function expandEllipsis(s: string): string[] {
    const m = /\{(\d+)\.\.\.(\d+)\}/.exec(s);
    if (!m) return [s];
    const out: string[] = [];
    for (let i = Number(m[1]); i <= Number(m[2]); i++) out.push(...expandEllipsis(s.replace(m[0], String(i))));
    return out;
}

// ---------------------------------------------------------------------------------------------
// MongoDB: no registry here serves mongod, so FerretDB (MongoDB wire protocol, SCRAM) stands in.
// The image's entrypoint creates MONGO_INITDB_ROOT_USERNAME in `admin`; FerretDB's --setup-* flags
// do the same.

export async function startMongo(r: RenderedStack, lb: Loopback): Promise<RunningPod> {
    const { pod, c, port, mounts } = await singlePod(r, lb, "mongo", 27017, "/data/db");
    const env = c.env;
    const process_ = start(pod, forPodUser(toolchainBin("ferretdb")), [
        "--handler=sqlite",
        `--sqlite-url=file:${mounts.dirs.get("/data/db")}/`,
        `--listen-addr=127.0.0.1:${port}`,
        "--telemetry=disable",
        "--test-enable-new-auth",
        "--setup-database=admin",
        `--setup-username=${env.MONGO_INITDB_ROOT_USERNAME}`,
        `--setup-password=${env.MONGO_INITDB_ROOT_PASSWORD}`,
        "--state-dir", mounts.dirs.get("/data/configdb")!,
    ], {}, c.user);
    await waitFor(`${pod} listening`, () => tcpOpen(port), 60_000, process_);
    return { pod, process: process_, container: c, ports: new Map([[27017, port]]) };
}

function tcpOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = connect(port, "127.0.0.1", () => { socket.end(); resolve(true); });
        socket.on("error", () => resolve(false));
    });
}
