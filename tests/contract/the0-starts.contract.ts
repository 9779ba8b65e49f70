// the0 starts on what the program renders: for the dev and staging stacks, real servers run with
// the rendered config, args, env and Secret, and the0's own client libraries connect with the env
// the program gives each the0 container, doing what the0 does at start-up. The declared probes run
// against those servers. Only in-cluster host names and ports are mapped to 127.0.0.1.
import { expect } from "chai";
import { spawn } from "child_process";
import { createInterface } from "readline";
import { fullName } from "../../components/k8s/meta";
import { apiEnsureBucket, apiMinio, apiNats, apiPostgres, Env } from "./the0-api";
import { Loopback, run, stopAll, toolchainBin } from "./process";
import { renderStack, RenderedContainer, RenderedStack } from "./render";
import { httpProbeStatus, RunningPod, runExecProbe, startMinio, startMongo, startNats, startPostgres } from "./servers";

/** The0's api reads the MinIO host and port from two variables. */
const API_SPLIT_ENDPOINTS: Array<[string, string]> = [["MINIO_ENDPOINT", "MINIO_PORT"]];

/** The runtime's cobra flags take precedence over its env defaults (runtime/cmd/app/main.go). */
function effectiveRuntimeEnv(c: RenderedContainer): Env {
    const env: Env = { ...c.env };
    const flags: Record<string, string> = { "--minio-endpoint": "MINIO_ENDPOINT", "--minio-bucket": "MINIO_BUCKET", "--nats-url": "NATS_URL", "--mongo-uri": "MONGO_URI" };
    for (let i = 0; i < c.args.length - 1; i++) if (flags[c.args[i]]) env[flags[c.args[i]]] = c.args[i + 1];
    return env;
}

/** Runs the runtime client (Go, the0's runtime libraries) and returns its JSON lines. */
function runtimeClient(command: string, env: Env, input?: string): Array<Record<string, unknown>> {
    const out = run(toolchainBin("the0-runtime-client"), [command], env as Record<string, string>, input);
    return out.trim().split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

for (const stack of ["dev", "staging"]) {
    describe(`contract: the0 starts on the ${stack} stack's rendering`, function () {
        this.timeout(180_000);
        let r: RenderedStack;
        const lb = new Loopback();
        let nats: RunningPod[];
        let pg: RunningPod;
        let minio: RunningPod[];
        let mongo: RunningPod;
        let api: Env;

        before(async () => {
            r = await renderStack(stack);
            nats = await startNats(r, lb);
            pg = await startPostgres(r, lb);
            minio = await startMinio(r, lb);
            mongo = await startMongo(r, lb);
            api = lb.rewriteEnv(r.container("Deployment", fullName(r.config, "api")).env, API_SPLIT_ENDPOINTS);
        });

        after(stopAll);

        it(`runs ${stack === "dev" ? "one NATS server" : "a NATS cluster"} from the rendered nats.conf, and its probes pass`, async () => {
            expect(nats).to.have.length(r.config.nats.replicas);
            for (const p of nats) {
                for (const probe of [p.container.probes.startup!, p.container.probes.liveness!, p.container.probes.readiness!]) {
                    expect(await httpProbeStatus(p, probe), `${p.pod} ${probe.httpGet!.path}`).to.equal(200);
                }
            }
            if (nats.length > 1) {
                const routez = await fetch(`http://127.0.0.1:${nats[0].ports.get(8222)}/routez`).then((x) => x.json() as Promise<{ num_routes: number }>);
                expect(routez.num_routes, "routes to every peer").to.be.at.least(nats.length - 1);
            }
        });

        it("the api's nats.js connects with NATS_URLS and creates THE0_EVENTS and THE0_BOT_LOGS", async () => {
            const { nc, streams } = await apiNats(api);
            try {
                expect(streams).to.deep.equal(["THE0_BOT_LOGS", "THE0_EVENTS"]);
            } finally {
                await nc.close();
            }
        });

        it("the api's nats.js cannot use a NATS URL with credentials (why nats.auth and such a natsUrl are refused)", async () => {
            // What the program rendered before: user and password in the URL of the in-cluster Service.
            const withCredentials = `nats://the0:${r.secret["jwt-secret"]}@${fullName(r.config, "nats")}:4222`;
            let error: Error | undefined;
            try {
                (await apiNats({ NATS_URLS: withCredentials })).nc.close();
            } catch (e) {
                error = e as Error;
            }
            expect(error?.message).to.equal("Invalid URL");
        });

        it("the api's postgres.js connects with DATABASE_URL and runs a query", async () => {
            const sql = apiPostgres(api);
            try {
                const [row] = await sql`select current_user as "user", current_database() as db`;
                expect(row).to.deep.equal({ user: r.config.postgres.user, db: r.config.postgres.database });
                await sql`create table if not exists contract_probe (id serial primary key)`;
            } finally {
                await sql.end();
            }
        });

        it("PostgreSQL's pg_isready probes pass", () => {
            for (const probe of [pg.container.probes.liveness!, pg.container.probes.readiness!]) {
                expect(runExecProbe(pg, probe, { PGPORT: String(pg.ports.get(5432)) })).to.include("accepting connections");
            }
        });

        it("MinIO passes its probes and the api's minio-js creates the0's buckets", async () => {
            for (const p of minio) {
                for (const probe of [p.container.probes.liveness!, p.container.probes.readiness!]) expect(await httpProbeStatus(p, probe), `${p.pod} ${probe.httpGet!.path}`).to.equal(200);
            }
            const client = apiMinio(api);
            expect(await apiEnsureBucket(client, api)).to.equal("custom-bots");
            for (const bucket of [api.LOG_BUCKET!, api.BACKTEST_BUCKET!, "bot-state"]) if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket);
            const names = (await client.listBuckets()).map((b) => b.name).sort();
            expect(names).to.deep.equal(["backtests", "bot-logs", "bot-state", "custom-bots"]);
        });

        it("the bot-controller's runtime (nats.go, mongo-driver, minio-go) starts and receives what the api publishes", async () => {
            const env = lb.rewriteEnv(effectiveRuntimeEnv(r.container("Deployment", fullName(r.config, "bot-controller"))) as Record<string, string>);
            const child = spawn(toolchainBin("the0-runtime-client"), ["controller"], { env: { ...env, THE0_CONTRACT_WAIT: "30s" } });
            const lines = createInterface({ input: child.stdout });
            const received: Array<Record<string, unknown>> = [];
            let stderr = "";
            child.stderr.on("data", (d) => { stderr += d; });
            const ready = new Promise<void>((resolve, reject) => {
                lines.on("line", (l) => {
                    const msg = JSON.parse(l) as Record<string, unknown>;
                    received.push(msg);
                    if (msg.ready) resolve();
                    if (msg.error) reject(new Error(String(msg.error)));
                });
                child.on("exit", (code) => reject(new Error(`runtime client exited ${code}: ${stderr}`)));
            });
            const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
            await ready;
            expect(received[0]).to.include({ ready: true, bucket: "custom-bots", bucketExists: true });

            const { nc } = await apiNats(api);
            try {
                // api/src/nats/nats.service.ts `publish`: JetStream publish with a 5 s timeout.
                await nc.jetstream().publish("the0.bot.created", new TextEncoder().encode(JSON.stringify({ id: "contract-bot" })), { timeout: 5000 });
            } finally {
                await nc.close();
            }
            expect(await exited, stderr).to.equal(0);
            expect(received[1]).to.deep.equal({ subject: "the0.bot.created", data: JSON.stringify({ id: "contract-bot" }) });
        });

        it("the gc's runtime connects to Mongo and lists the0's buckets", () => {
            const env = lb.rewriteEnv(effectiveRuntimeEnv(r.container("CronJob", fullName(r.config, "gc"))) as Record<string, string>);
            const [out] = runtimeClient("gc", env);
            expect(out).to.deep.include({ ready: true });
            expect(out.buckets).to.include("custom-bots");
        });

        it("Mongo (FerretDB stand-in) accepts the runtime's MONGO_URI with the generated root password", () => {
            const env = lb.rewriteEnv({ MONGO_URI: r.secret["mongo-url"] });
            expect(runtimeClient("mongo-auth", {}, `${env.MONGO_URI}\n`)).to.deep.equal([{ ok: true }]);
            expect(mongo.process.running).to.equal(true);
        });
    });
}
