// the0's own api (built from its v1.14.0 source) started with exactly what the program renders for
// the dev and the staging stack, against the contract suite's real servers started from the same
// rendering. Rewrites (listed and asserted): in-cluster host:port pairs → 127.0.0.1 ports, and the
// api's PORT (the machine's network is shared). Everything else is the rendered env, the image's
// command and working directory, the pod's uid, a read-only root and the rendered emptyDirs.
import { expect } from "chai";
import { connect } from "nats";
import { fullName } from "../../components/k8s/meta";
import { httpStatus, Loopback, stopAll, waitFor } from "../../tools/realPods/process";
import { renderStack, RenderedStack } from "../../tools/realPods/render";
import { startMinio, startNats, startPostgres } from "../../tools/realPods/servers";
import { apiMinio } from "../contract/the0-api";
import postgres from "postgres";
import { ApiClient, apiMigrationCount, RunningThe0, startApi } from "../../tools/realPods/the0";

/** The only variables whose value may differ from the rendering, and why. */
const API_REWRITES: Record<string, string> = {
    DATABASE_URL: "the PostgreSQL Service's host:port → its loopback port",
    NATS_URLS: "the NATS Service's host:port → its loopback port",
    MINIO_ENDPOINT: "the MinIO Service's host → 127.0.0.1",
    MINIO_PORT: "the MinIO Service's port → its loopback port",
    RUNTIME_QUERY_URL: "the bot-controller's query Service → 127.0.0.1 (same port, which the runtime hard-codes)",
    PORT: "the api's listening port → a free port of the shared network (the probes follow it)",
};

for (const stack of ["dev", "staging"]) {
    describe(`the0's api on the ${stack} stack's rendering`, function () {
        this.timeout(300_000);
        let r: RenderedStack;
        const lb = new Loopback();
        let api: RunningThe0;
        let client: ApiClient;

        before(async () => {
            r = await renderStack(stack);
            await startNats(r, lb);
            await startPostgres(r, lb);
            await startMinio(r, lb);
            lb.alias(fullName(r.config, "bot-controller"), 9477, 9477);
            api = await startApi(r, lb);
            client = new ApiClient(`http://127.0.0.1:${api.ports.get(3000)}`);
        });

        after(stopAll);

        it("runs with the rendered env; the only rewrites are hosts and ports", async () => {
            expect(api.rewrites.map((w) => w.what)).to.have.members(Object.keys(API_REWRITES));
            for (const w of api.rewrites) expect(w.to, `${w.what}: ${API_REWRITES[w.what]}`).to.match(/127\.0\.0\.1|^\d+$/);
            // The dev stack's NODE_ENV logs through pino-pretty, a worker thread: the line may trail the first answer.
            // eslint-disable-next-line no-control-regex
            const started = () => api.process.log().replace(/\x1b\[[0-9;]*m/g, "").includes(`the0 API started on port ${api.ports.get(3000)}`);
            await waitFor("the api's start-up line", started, 10_000, api.process);
        });

        /** Rows of drizzle's migration journal in the api's database. */
        async function migrationsApplied(): Promise<number> {
            const sql = postgres(lb.rewrite(api.container.env.DATABASE_URL), { max: 1 });
            try {
                const [row] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
                return row.n as number;
            } finally {
                await sql.end();
            }
        }

        it("ran every migration on the empty database", async () => {
            expect(await migrationsApplied()).to.equal(apiMigrationCount());
        });

        it("answers the rendered liveness and readiness probes with 200 on the rendered port", async () => {
            const { liveness, readiness } = api.container.probes;
            for (const probe of [liveness!, readiness!]) {
                const port = api.container.ports.find((p) => p.name === probe.httpGet!.port)!.containerPort;
                expect(await httpStatus(api.ports.get(port)!, probe.httpGet!.path), probe.httpGet!.path).to.equal(200);
            }
        });

        it("reports every dependency up on /health/ready (NATS, MinIO and PostgreSQL)", async () => {
            const ready = await client.call("GET", "/health/ready");
            expect(ready.status).to.equal(200);
            expect(ready.json.status).to.equal("ok");
            expect(Object.keys(ready.json.checks).sort()).to.deep.equal(["minio", "nats", "postgres"]);
            for (const [name, check] of Object.entries(ready.json.checks)) expect((check as { status: string }).status, name).to.equal("up");
        });

        it("the root admin of the rendered Secret logs in, and a wrong password is refused", async () => {
            const email = api.container.env.THE0_ADMIN_EMAIL;
            const login = await client.login(email, r.secret["admin-password"]);
            expect(login.status, JSON.stringify(login.json)).to.equal(201);
            expect(login.json.data.user).to.include({ email, role: "admin" });
            const me = await client.call("GET", "/auth/me");
            expect(me.status).to.equal(200);
            const wrong = await new ApiClient(client.base).login(email, `${r.secret["admin-password"]}-wrong`);
            expect(wrong.status).to.equal(401);
        });

        it("created its JetStream streams and its bucket", async () => {
            const nc = await connect({ servers: lb.rewrite(api.container.env.NATS_URLS).split(",") });
            try {
                const streams = (await (await nc.jetstreamManager()).streams.list().next()).map((s) => s.config.name).sort();
                expect(streams).to.deep.equal(["THE0_BOT_LOGS", "THE0_EVENTS"]);
            } finally {
                await nc.close();
            }
            const minio = apiMinio(lb.rewriteEnv(api.container.env, [["MINIO_ENDPOINT", "MINIO_PORT"]]));
            expect(await minio.bucketExists(api.container.env.CUSTOM_BOTS_BUCKET)).to.equal(true);
        });

        it("restarts on its own database: no migration runs twice, and the admin still logs in", async () => {
            await api.process.stop();
            api = await startApi(r, lb, { podName: `${api.pod}-restarted` });
            client = new ApiClient(`http://127.0.0.1:${api.ports.get(3000)}`);
            expect(await migrationsApplied()).to.equal(apiMigrationCount());
            expect((await client.call("GET", "/health/ready")).status).to.equal(200);
            expect((await client.login(api.container.env.THE0_ADMIN_EMAIL, r.secret["admin-password"])).status).to.equal(201);
        });
    });
}
