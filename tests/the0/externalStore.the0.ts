// The cloud profile's default object storage, `objectStorage.mode: external`: the0 talks to an
// S3-compatible store outside the cluster over TLS (port 443, MINIO_USE_SSL=true, the host named by
// `objectStorage.external.endpoint`). Here a real MinIO server serves TLS on 127.0.0.1:443 with a
// certificate for that host signed by a throwaway CA, and the0's real clients, each started with
// exactly what the program renders for such a stack, use it:
//   - the0's api (built from source, in its pod sandbox) creates its bucket, reports MinIO up on
//     /health/ready and stores an uploaded custom bot;
//   - the gc CronJob's `buckets` init container (ENSURE_BUCKETS_SCRIPT with the pinned `mc`) creates
//     bot-logs and bot-state over https with the rendered MINIO_URL;
//   - the runtime: the bot-controller's bucket check (tests/contract/runtime-client, minio-go as the
//     runtime pins it) with its rendered MINIO_* env, and the0's real gc (runtime image) listing and
//     deleting objects with its rendered env;
//   - and each of them refuses the store when its certificate names another host, or when the CA is
//     not trusted: TLS verification is really on.
//
// The endpoint is `localhost`: the0's processes resolve the host themselves (Node's getaddrinfo, Go's
// resolver, both reading /etc/hosts, which the pod sandbox shares), so the in-cluster Loopback rewrite
// to 127.0.0.1 cannot be used here (the certificate must match the name the client dials), and
// `localhost` is the one name that resolves to 127.0.0.1 on every machine without touching /etc/hosts.
// The suite runs as root (the pod sandbox needs it), so the store binds 127.0.0.1:443 and nothing of
// the rendered endpoint changes: not the host, not the port, not the scheme.
//
// The only test-side addition: in production the store's certificate is publicly trusted (the
// system roots of the images); here it is signed by a test CA that each client is told to trust
// through its own mechanism: NODE_EXTRA_CA_CERTS for the api (Node, minio-js), SSL_CERT_FILE for the
// Go clients (mc, minio-go in the runtime).
import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdirSync, writeFileSync } from "fs";
import { Agent, request } from "https";
import * as Minio from "minio";
import { join } from "path";
import { fullName } from "../../components/k8s/meta";
import { cloudValues, EXTERNAL_STORE_KEYS } from "../../tools/render/render";
import { freePort, httpStatus, Loopback, SCRATCH, ServerProcess, start, stopAll, waitFor } from "../../tools/realPods/process";
import { renderConfig, RenderedContainer, RenderedStack } from "../../tools/realPods/render";
import { podMounts, startMongo, startNats, startPostgres } from "../../tools/realPods/servers";
import { apiImage, runtimeImage } from "../../tools/realPods/images";
import { startPod } from "../../tools/realPods/sandbox";
import { ApiClient, exitCodeOf, realtimeBot, rewritesOf, RunningThe0 } from "../../tools/realPods/the0";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { Issued, TestCa } from "../support/testCa";
import { ContainerRun, runPod } from "../contract/jobs";

/** The store's host as the stack names it (see the header: it must resolve to 127.0.0.1 for the0's own resolvers). */
const STORE_HOST = "localhost";
/** Where the CA lands in a sandboxed pod (a projected file of the pod's own, outside the read-only /etc). */
const POD_CA_DIR = "/the0-test-ca";
const POD_CA_FILE = `${POD_CA_DIR}/ca.crt`;

/** The api's variables that may differ from the rendering, and why: no MINIO_* among them. */
const API_REWRITES: Record<string, string> = {
    DATABASE_URL: "the PostgreSQL Service's host:port → its loopback port",
    NATS_URLS: "the NATS Service's host:port → its loopback port",
    RUNTIME_QUERY_URL: "the bot-controller's query Service → 127.0.0.1 (same port, which the runtime hard-codes)",
    PORT: "the api's listening port → a free port of the shared network (the probes follow it)",
    NODE_EXTRA_CA_CERTS: "the test CA (in production the store's certificate is publicly trusted)",
};

describe("the0 on an external S3-compatible store over TLS (the cloud profile's default objectStorage.mode)", function () {
    this.timeout(300_000);
    let r: RenderedStack;
    const lb = new Loopback();
    const dir = join(SCRATCH, "external-store");
    let ca: TestCa;
    let caFile: string;
    let store: ServerProcess | undefined;
    let api: RunningThe0;
    let client: ApiClient;
    let keys: { accessKey: string; secretKey: string };

    before(async () => {
        if (process.getuid?.() !== 0) throw new Error("this suite runs as root: the0's processes run in a private mount namespace, and the store binds 127.0.0.1:443 as rendered");
        for (const v of ["THE0_TOOLCHAIN_BIN", "THE0_API_IMAGE_DIR", "THE0_RUNTIME_IMAGE_DIR"]) {
            if (!process.env[v]) throw new Error(`${v} is not set: run with \`npm run test:the0\` (or source the toolchain's env.sh after \`tools/offline-k8s/offline-k8s.sh build the0 contract\`)`);
        }
        mkdirSync(join(dir, "ca"), { recursive: true, mode: 0o755 });
        ca = new TestCa(join(dir, "ca"));
        caFile = join(dir, "ca", "ca.crt");

        r = await renderConfig("cloud-external", cloudValues({ objectStorage: JSON.stringify({ mode: "external", external: { endpoint: STORE_HOST } }) }), { ...EXTERNAL_STORE_KEYS });
        keys = { accessKey: r.secret["minio-access-key"], secretKey: r.secret["minio-secret-key"] };

        // The store: its operator's credentials are the keys the stack was given as secrets.
        store = await startStore("store", ca.issue(STORE_HOST, [`DNS:${STORE_HOST}`]));
        await startNats(r, lb);
        await startPostgres(r, lb);
        await startMongo(r, lb);
        lb.alias(fullName(r.config, "bot-controller"), 9477, 9477);
        api = await startApiPod("the0-api-external-store", { NODE_EXTRA_CA_CERTS: POD_CA_FILE });
        client = new ApiClient(`http://127.0.0.1:${api.ports.get(3000)}`);
    });

    after(stopAll);

    /** A real MinIO serving TLS on 127.0.0.1:443 with `cert` (one data directory across restarts). */
    async function startStore(name: string, cert: Issued): Promise<ServerProcess> {
        if (store) await store.stop();
        const certs = join(dir, `certs-${name}`);
        mkdirSync(certs, { recursive: true });
        writeFileSync(join(certs, "public.crt"), cert.cert);
        writeFileSync(join(certs, "private.key"), cert.key, { mode: 0o600 });
        mkdirSync(join(dir, "data"), { recursive: true });
        const p = start(`external-store-${name}`, toolchainBin("minio"), [
            "server", join(dir, "data"),
            "--address", `127.0.0.1:${r.config.objectStorage.external.port}`,
            "--console-address", `127.0.0.1:${await freePort()}`,
            "--certs-dir", certs,
        ], { MINIO_ROOT_USER: keys.accessKey, MINIO_ROOT_PASSWORD: keys.secretKey, MINIO_BROWSER: "off", HOME: dir });
        // The wait itself does not verify (the wrong-name certificate must come up too); the tests do.
        await waitFor(`${name} serving TLS`, async () => (await tlsGet("/minio/health/ready", { rejectUnauthorized: false })).status === 200, 60_000, p);
        return p;
    }

    /** GET https://<STORE_HOST>:<port><path> from this process (the test's own look, not a client of the0's). */
    function tlsGet(path: string, tls: { ca?: string; rejectUnauthorized?: boolean }): Promise<{ status: number; altNames: string }> {
        return new Promise((resolve, reject) => {
            const req = request({ host: STORE_HOST, port: r.config.objectStorage.external.port, path, method: "GET", timeout: 5000, agent: false, ...tls }, (res) => {
                const altNames = (res.socket as unknown as { getPeerCertificate(): { subjectaltname?: string } }).getPeerCertificate().subjectaltname ?? "";
                res.resume();
                resolve({ status: res.statusCode ?? 0, altNames });
            });
            req.on("error", reject);
            req.on("timeout", () => req.destroy(new Error("timeout")));
            req.end();
        });
    }

    /** The test's own S3 client for looking at the store (it trusts the CA through its agent). */
    function observer(): Minio.Client {
        return new Minio.Client({ endPoint: STORE_HOST, port: r.config.objectStorage.external.port, useSSL: true, ...keys, transportAgent: new Agent({ ca: ca.cert }) });
    }

    /** The api's pod as startApi starts it (tools/realPods/the0.ts), with the test CA as a file of the pod. */
    async function startApiPod(pod: string, extraEnv: Record<string, string>): Promise<RunningThe0> {
        const c = r.container("Deployment", fullName(r.config, "api"), pod);
        const port = await freePort();
        // No host/port split: MINIO_ENDPOINT and MINIO_PORT are not in-cluster names, and stay as rendered.
        const env = { ...lb.rewriteEnv(c.env), PORT: String(port), ...extraEnv };
        const p = startPod(pod, c, apiImage(), { env, files: { [POD_CA_DIR]: { "ca.crt": ca.cert } } });
        await waitFor(`${pod} listening`, async () => (await httpStatus(port, "/health")) === 200, 120_000, p);
        return { pod, process: p, container: c, ports: new Map([[Number(c.env.PORT), port]]), rewrites: rewritesOf(c.env, env) };
    }

    /** The gc CronJob's containers: [buckets (init), gc]. */
    function gcPod(): RenderedContainer[] {
        const name = fullName(r.config, "gc");
        return r.podContainers("CronJob", name, `${name}-run`);
    }

    /**
     * The buckets init container run as the kubelet would (tests/contract/jobs.ts); with `trustCa`, the
     * test CA is a file of the pod's /tmp emptyDir and SSL_CERT_FILE names it by its path in the pod
     * (runPod maps every value under a mount path to the pod's directory, as it does the script's /tmp/.mc).
     */
    function runBuckets(pod: string, trustCa: boolean): ContainerRun {
        const [buckets] = gcPod();
        expect(buckets.name).to.equal("buckets");
        expect(buckets.mounts.map((m) => m.mountPath)).to.include("/tmp");
        if (trustCa) writeFileSync(join(podMounts(r, buckets, pod, "/backup").dirs.get("/tmp")!, "the0-test-ca.crt"), ca.cert, { mode: 0o644 });
        const [run] = runPod(r, lb, pod, [buckets], trustCa ? { SSL_CERT_FILE: "/tmp/the0-test-ca.crt" } : {});
        return run;
    }

    /** the0's real gc (runtime image) in its sandbox, with its rendered env (MongoDB mapped) and `trust`. */
    async function runGc(pod: string, trust: Record<string, string>): Promise<{ code: number | null; log: string }> {
        const [, c] = gcPod();
        const p = startPod(pod, { ...c, args: c.args.map((a) => lb.rewrite(a)) }, runtimeImage(), { env: { ...lb.rewriteEnv(c.env), ...trust }, files: { [POD_CA_DIR]: { "ca.crt": ca.cert } } });
        const code = await exitCodeOf(p);
        return { code, log: p.log() };
    }

    /** The bot-controller's bucket check (runtime-client `minio`, minio-go as the runtime pins it) with its rendered env and `trust`. */
    function controllerBucketCheck(trust: Record<string, string>): { status: number | null; out: Record<string, unknown> } {
        const c = r.container("Deployment", fullName(r.config, "bot-controller"));
        const env: Record<string, string> = { PATH: process.env.PATH ?? "", ...c.env, ...trust };
        const res = spawnSync(toolchainBin("the0-runtime-client"), ["minio"], { env, encoding: "utf8", timeout: 60_000 });
        const line = res.stdout.trim().split("\n").pop() ?? "";
        let out: Record<string, unknown>;
        try {
            out = JSON.parse(line);
        } catch {
            out = { error: `no JSON: ${res.stdout}${res.stderr}` };
        }
        return { status: res.status, out };
    }

    it("renders the external store as the0's clients get it: localhost, port 443, TLS, everywhere", async () => {
        const os = r.config.objectStorage;
        expect(os).to.deep.include({ mode: "external" });
        expect(os.external).to.deep.equal({ endpoint: STORE_HOST, port: 443, useSsl: true });
        expect(r.model.has("kubernetes:apps/v1:StatefulSet", fullName(r.config, "minio")), "no in-cluster MinIO").to.equal(false);
        const apiEnv = r.container("Deployment", fullName(r.config, "api")).env;
        expect(apiEnv).to.include({ MINIO_ENDPOINT: STORE_HOST, MINIO_PORT: "443", MINIO_USE_SSL: "true", MINIO_ACCESS_KEY: keys.accessKey, MINIO_SECRET_KEY: keys.secretKey });
        const controller = r.container("Deployment", fullName(r.config, "bot-controller"));
        expect(controller.args).to.include(`--minio-endpoint=${STORE_HOST}:443`);
        expect(controller.env).to.include({ MINIO_ENDPOINT: `${STORE_HOST}:443`, MINIO_USE_SSL: "true" });
        const [buckets, gc] = gcPod();
        expect(buckets.env).to.include({ MINIO_URL: `https://${STORE_HOST}:443`, BUCKETS: "bot-logs bot-state" });
        expect(gc.env).to.include({ MINIO_ENDPOINT: `${STORE_HOST}:443`, MINIO_USE_SSL: "true" });
        // The store answers only TLS there: a plain-http request is refused.
        expect(await httpStatus(443, "/minio/health/ready"), "plain http to the TLS port").to.equal(400);
    });

    it("the store serves a certificate for the rendered host that verifies against the test CA (and only that CA)", async () => {
        const ok = await tlsGet("/minio/health/ready", { ca: ca.cert });
        expect(ok).to.deep.equal({ status: 200, altNames: `DNS:${STORE_HOST}` });
        let error: (Error & { code?: string }) | undefined;
        await tlsGet("/minio/health/ready", {}).catch((e) => (error = e));
        expect(error?.code, "with the system roots only").to.be.oneOf(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN"]);
    });

    it("the0's api runs with the rendered MINIO_* unchanged; the only additions are the loopback rewrites and NODE_EXTRA_CA_CERTS", () => {
        expect(api.rewrites.map((w) => w.what)).to.have.members(Object.keys(API_REWRITES));
        expect(api.rewrites.find((w) => w.what === "NODE_EXTRA_CA_CERTS")).to.deep.equal({ what: "NODE_EXTRA_CA_CERTS", from: "(unset)", to: POD_CA_FILE });
    });

    it("the api reports MinIO up on /health/ready over TLS, and created its bucket there", async () => {
        const ready = await client.call("GET", "/health/ready");
        expect(ready.status, JSON.stringify(ready.json)).to.equal(200);
        expect(ready.json.checks.minio.status, JSON.stringify(ready.json.checks.minio)).to.equal("up");
        const bucket = api.container.env.CUSTOM_BOTS_BUCKET;
        await waitFor(`the api's ${bucket} bucket`, () => observer().bucketExists(bucket), 30_000, api.process);
        expect(api.process.log()).not.to.match(/Failed to ensure MinIO bucket exists/);
    });

    it("the api stores an uploaded custom bot in the external store", async () => {
        const login = await client.login(api.container.env.THE0_ADMIN_EMAIL, r.secret["admin-password"]);
        expect(login.status, JSON.stringify(login.json)).to.equal(201);
        const bot = realtimeBot(`external-store-${Date.now().toString(36)}`);
        const { upload, register } = await client.registerCustomBot(bot.config, bot.files);
        expect(upload.status, JSON.stringify(upload.json)).to.equal(200);
        expect(register.status, JSON.stringify(register.json)).to.equal(201);
        const stat = await observer().statObject(api.container.env.CUSTOM_BOTS_BUCKET, upload.json.filePath);
        expect(stat.size, `${upload.json.filePath} in the store`).to.be.greaterThan(0);
    });

    it("the gc CronJob's buckets init container creates bot-logs and bot-state over https with the rendered MINIO_URL (mc, SSL_CERT_FILE)", async () => {
        const run = runBuckets("the0-gc-external-store", true);
        expect(run.status, run.output).to.equal(0);
        expect(run.output).to.include("Bucket created successfully `the0/bot-logs`").and.include("Bucket created successfully `the0/bot-state`");
        for (const bucket of ["bot-logs", "bot-state"]) expect(await observer().bucketExists(bucket), bucket).to.equal(true);
        // Run again: --ignore-existing, as every later CronJob run does.
        const again = runBuckets("the0-gc-external-store-again", true);
        expect(again.status, again.output).to.equal(0);
    });

    it("the bot-controller's bucket check (minio-go as the runtime pins it) reads over TLS with its rendered env", () => {
        const { status, out } = controllerBucketCheck({ SSL_CERT_FILE: caFile });
        expect(out, JSON.stringify(out)).to.deep.equal({ bucketExists: true });
        expect(status).to.equal(0);
    });

    it("the0's gc (runtime image, rendered env) lists the buckets and deletes an orphaned bot's objects over TLS", async () => {
        const orphan = "orphan-bot-0001";
        const s3 = observer();
        await s3.putObject("bot-logs", `logs/${orphan}/2026-01-01.log`, Buffer.from("a line\n"));
        await s3.putObject("bot-state", `${orphan}/state.tar.gz`, Buffer.from("state"));
        const { code, log } = await runGc("the0-gc-external-store", { SSL_CERT_FILE: POD_CA_FILE });
        expect(code, log).to.equal(0);
        expect(log).to.include(`MinIO: ${STORE_HOST}:443`).and.include("GC sweep complete: 1 orphaned bot(s), 2 objects deleted");
        const left = await new Promise<string[]>((resolve, reject) => {
            const names: string[] = [];
            s3.listObjectsV2("bot-logs", "logs/", true).on("data", (o) => names.push(o.name ?? "")).on("end", () => resolve(names)).on("error", reject);
        });
        expect(left, "bot-logs after the sweep").to.deep.equal([]);
    });

    describe("TLS verification is on: without the CA trusted, every client refuses the store", function () {
        it("the api (no NODE_EXTRA_CA_CERTS) reports MinIO down with a certificate error", async () => {
            const untrusting = await startApiPod("the0-api-external-store-untrusting", {});
            try {
                const ready = await new ApiClient(`http://127.0.0.1:${untrusting.ports.get(3000)}`).call("GET", "/health/ready");
                expect(ready.status).to.equal(503);
                expect(ready.json.checks.minio.status).to.equal("down");
                expect(ready.json.checks.minio.error).to.match(/unable to verify the first certificate|self-signed certificate in certificate chain/);
                expect(ready.json.checks.nats.status).to.equal("up");
            } finally {
                await untrusting.process.stop();
            }
        });

        it("the buckets init container (mc, no SSL_CERT_FILE) fails", () => {
            const run = runBuckets("the0-gc-external-store-untrusting", false);
            expect(run.status).to.not.equal(0);
            expect(run.output).to.match(/certificate signed by unknown authority/);
        });

        it("the bot-controller's bucket check fails", () => {
            const { status, out } = controllerBucketCheck({});
            expect(status).to.equal(1);
            expect(String(out.error)).to.match(/certificate signed by unknown authority/);
        });

        it("the0's gc fails and exits 1", async () => {
            const { code, log } = await runGc("the0-gc-external-store-untrusting", {});
            expect(code, log).to.equal(1);
            expect(log).to.match(/GC sweep failed: .*certificate signed by unknown authority/);
        });
    });

    describe("TLS verification checks the name: with the CA trusted but a certificate for another host, every client refuses the store", function () {
        const OTHER = "s3.other.example";

        before(async () => {
            store = await startStore("wrong-name", ca.issue(OTHER, [`DNS:${OTHER}`]));
            expect((await tlsGet("/minio/health/ready", { rejectUnauthorized: false })).altNames).to.equal(`DNS:${OTHER}`);
        });

        it("the api (CA trusted) reports MinIO down: the certificate does not name the host", async () => {
            await waitFor("the api's next MinIO check", async () => (await client.call("GET", "/health/ready")).status === 503, 30_000, api.process);
            const ready = await client.call("GET", "/health/ready");
            expect(ready.json.checks.minio.status).to.equal("down");
            expect(ready.json.checks.minio.error).to.include(`Hostname/IP does not match certificate's altnames: Host: ${STORE_HOST}. is not in the cert's altnames: DNS:${OTHER}`);
        });

        it("the buckets init container (mc) fails", () => {
            const run = runBuckets("the0-gc-external-store-wrong-name", true);
            expect(run.status).to.not.equal(0);
            expect(run.output).to.include(`certificate is valid for ${OTHER}, not ${STORE_HOST}`);
        });

        it("the bot-controller's bucket check fails", () => {
            const { status, out } = controllerBucketCheck({ SSL_CERT_FILE: caFile });
            expect(status).to.equal(1);
            expect(String(out.error)).to.include(`certificate is valid for ${OTHER}, not ${STORE_HOST}`);
        });

        it("the0's gc fails and exits 1", async () => {
            const { code, log } = await runGc("the0-gc-external-store-wrong-name", { SSL_CERT_FILE: POD_CA_FILE });
            expect(code, log).to.equal(1);
            expect(log).to.include(`certificate is valid for ${OTHER}, not ${STORE_HOST}`);
        });

        it("with the right certificate back, the api reports MinIO up again (same process)", async () => {
            store = await startStore("store-again", ca.issue(`${STORE_HOST}-again`, [`DNS:${STORE_HOST}`]));
            await waitFor("the api's MinIO check up again", async () => (await client.call("GET", "/health/ready")).status === 200, 30_000, api.process);
        });
    });
});
