// A move from the0's Helm chart with the data, proven by the0 itself: the0's api (built from its
// source) runs on an install shaped as the chart renders it (`helm template` of the chart 0.9.1 with
// an admin, its credentials and its Secret's connection URLs), creates its schema and admin, takes a
// sign-in and a custom bot upload. Then `migrate:from-helm` as the cluster would run it, with real
// servers: its config and secrets from that release, the dump Jobs' containers reading the chart's
// PostgreSQL and MinIO through the migration's Secret (the chart's URLs, hosts qualified with its
// namespace), the restore Jobs' containers loading them into the new stack's servers. Every row and
// object compares equal, the api started on the new stack's rendering signs the chart's admin in
// with the chart's password, and a session token the chart's api issued still works. MongoDB is not
// copied here: no registry serves mongod (docs/toolchain.md).
import { expect } from "chai";
import { createHash } from "crypto";
import { parseAllDocuments } from "yaml";
import { backupName, migrationDumpJob, restorePod } from "../../components/backup/jobs";
import { fullName } from "../../components/k8s/meta";
import { BackupStore } from "../../components/model/backupStores";
import { parseArgs, planMigration, Release, stackConfigValues } from "../../tools/commands/migrateFromHelm";
import { sourceObjectStorageUrl, sourceSecretData } from "../../tools/migrate/release";
import { peerChartDir } from "../../tools/toolchain/peers";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { Loopback, run, stopAll } from "../../tools/realPods/process";
import { renderConfig, RenderedStack } from "../../tools/realPods/render";
import { runPodOk } from "../contract/jobs";
import { psql, RunningPod, startMinio, startNats, startPostgres } from "../../tools/realPods/servers";
import { apiMinio } from "../contract/the0-api";
import { snapshotRows } from "../contract/the0Data";
import { ApiClient, realtimeBot, RunningThe0, startApi } from "../../tools/realPods/the0";

const RELEASE = "the0";
const CHART_NAMESPACE = "the0";
const ADMIN = { email: "admin@the0.local", password: "chart-admin-password-1" };
const CHART_VALUES = {
    postgresql: { password: "chart-postgres-password" },
    mongodb: { rootPassword: "chart-mongo-password" },
    the0Api: { env: { JWT_SECRET: "the-chart-install-signs-sessions-with-this-0123456789", THE0_ADMIN_EMAIL: ADMIN.email, THE0_ADMIN_PASSWORD: ADMIN.password } },
};
const STAMP = "20261206T140000Z";
const COPIED: BackupStore[] = ["postgres", "objectStorage"];

interface ChartDoc { kind: string; metadata: { name: string }; stringData?: Record<string, string>; spec?: any }

/** The chart as Helm renders it for these values: its Secret and each Deployment's first container's env. */
function renderChart(): { secret: Record<string, string>; env: (deployment: string) => Record<string, string> } {
    const sets = ["postgresql.password", "mongodb.rootPassword", "the0Api.env.JWT_SECRET", "the0Api.env.THE0_ADMIN_EMAIL", "the0Api.env.THE0_ADMIN_PASSWORD"];
    const value = (path: string) => path.split(".").reduce((o: any, k) => o[k], CHART_VALUES) as string;
    const out = run(toolchainBin("helm"), ["template", RELEASE, peerChartDir(), "-n", CHART_NAMESPACE, ...sets.flatMap((p) => ["--set-string", `${p}=${value(p)}`])]);
    const docs = parseAllDocuments(out).map((d) => d.toJS() as ChartDoc).filter(Boolean);
    const secret = docs.find((d) => d.kind === "Secret")!.stringData!;
    const env = (deployment: string) => {
        const c = docs.find((d) => d.kind === "Deployment" && d.metadata.name === deployment)!.spec.template.spec.containers[0];
        return Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? secret[e.valueFrom.secretKeyRef.key]]));
    };
    return { secret, env };
}

describe("the0 moved from its Helm chart with migrate:from-helm: the data, the admin and the sessions carry over", function () {
    this.timeout(600_000);
    const lbChart = new Loopback();
    const lbStack = new Loopback();
    let chart: ReturnType<typeof renderChart>;
    let release: Release;
    let old: RenderedStack;
    let next: RenderedStack;
    let oldPg: RunningPod;
    let newPg: RunningPod;
    let oldApi: RunningThe0;
    let chartToken: string;

    const sqlOn = (r: RenderedStack, pg: () => RunningPod) => (query: string) =>
        run(psql(), ["-h", "127.0.0.1", "-p", String(pg().ports.get(5432)), "-U", r.config.postgres.user, "-d", r.config.postgres.database, "-v", "ON_ERROR_STOP=1", "-Atc", query], { PGPASSWORD: r.secret["postgresql-password"] });
    const objects = async (r: RenderedStack, lb: Loopback): Promise<Record<string, string>> => {
        const client = apiMinio(lb.rewriteEnv(r.container("Deployment", fullName(r.config, "api")).env, [["MINIO_ENDPOINT", "MINIO_PORT"]]));
        const out: Record<string, string> = {};
        for (const b of await client.listBuckets()) {
            for await (const o of client.listObjectsV2(b.name, "", true) as AsyncIterable<{ name: string }>) {
                const chunks: Buffer[] = [];
                for await (const c of await client.getObject(b.name, o.name)) chunks.push(c as Buffer);
                out[`${b.name}/${o.name}`] = createHash("sha256").update(Buffer.concat(chunks)).digest("hex");
            }
        }
        return out;
    };

    before(async () => {
        chart = renderChart();
        release = { chart: "the0-0.9.1", values: CHART_VALUES, secret: { name: "the0-secrets", data: chart.secret }, adminPassword: ADMIN.password };
        const migration = planMigration(parseArgs(["--release", RELEASE, "--namespace", CHART_NAMESPACE, "--stack", "migrated"]), release);
        const secrets = Object.fromEntries(Object.entries(migration.secrets).map(([k, s]) => [k, s!.value]));
        next = await renderConfig("migrated", stackConfigValues(migration.config), secrets);
        // The chart's install, served by the same servers with the chart's credentials (asserted below).
        old = await renderConfig("chart", stackConfigValues({ ...migration.config, namespace: CHART_NAMESPACE }), secrets);
    });

    after(stopAll);

    it("the install stands in for the chart's: its servers take the chart's credentials, its api the chart's admin and JWT secret", () => {
        const pg = old.container("StatefulSet", "the0-postgres");
        const chartPg = chart.env("the0-postgres");
        for (const k of ["POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"]) expect(pg.env[k], k).to.equal(chartPg[k]);
        const minio = old.container("StatefulSet", "the0-minio");
        const chartMinio = chart.env("the0-minio");
        for (const k of ["MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"]) expect(minio.env[k], k).to.equal(chartMinio[k]);
        const api = old.container("Deployment", "the0-api");
        const chartApi = chart.env("the0-api");
        for (const k of ["JWT_SECRET", "THE0_ADMIN_EMAIL", "THE0_ADMIN_PASSWORD"]) expect(api.env[k], k).to.equal(chartApi[k]);
    });

    it("the0's api on the chart's install creates its schema and admin, signs in, stores a custom bot", async () => {
        await startNats(old, lbChart);
        oldPg = await startPostgres(old, lbChart);
        await startMinio(old, lbChart);
        lbChart.alias(fullName(old.config, "bot-controller"), 9477, 9477);
        oldApi = await startApi(old, lbChart);
        const client = new ApiClient(`http://127.0.0.1:${oldApi.ports.get(3000)}`);
        expect((await client.login(ADMIN.email, ADMIN.password)).status).to.equal(201);
        chartToken = client.token!;
        const bot = realtimeBot("moved-strategy");
        const r = await client.registerCustomBot(bot.config, bot.files);
        expect([r.upload.status, r.register.status], JSON.stringify(r.register.json)).to.deep.equal([200, 201]);
        // The writers stop before the copy (step 3).
        await oldApi.process.stop();
    });

    it("the dump Jobs read the chart's PostgreSQL and MinIO through the migration's Secret, the restore Jobs load them: every row and object compares equal", async () => {
        newPg = await startPostgres(next, lbStack);
        await startMinio(next, lbStack);
        // The chart's Services as the dump pods reach them from the new namespace.
        const full = "the0";
        lbStack.alias(`${full}-postgres.${CHART_NAMESPACE}.svc`, 5432, oldPg.ports.get(5432)!);
        lbStack.alias(`${full}-minio.${CHART_NAMESPACE}.svc`, 9000, lbChart.port(full + "-minio", 9000));
        const secretName = fullName(next.config, "migration-source");
        next.extraSecrets[secretName] = sourceSecretData(chart.secret, full, CHART_NAMESPACE);
        const source = { secretName, objectStorageUrl: sourceObjectStorageUrl(full, CHART_NAMESPACE, 9000) };
        for (const store of COPIED) {
            const dump = next.containersOf(migrationDumpJob(next.plan, store, { stamp: STAMP, source }).spec.template.spec, `migrate-${store}`);
            runPodOk(next, lbStack, `migrate-${store}`, dump);
            const restore = next.containersOf(restorePod(next.plan, store, { from: backupName(store, STAMP), force: true }).spec, `restore-${store}`);
            runPodOk(next, lbStack, `restore-${store}`, restore);
        }
        const before = snapshotRows(sqlOn(old, () => oldPg));
        expect(before.users.trim().split("\n")).to.have.length(1);
        expect(before.custom_bots).to.include("moved-strategy");
        expect(snapshotRows(sqlOn(next, () => newPg))).to.deep.equal(before);
        const chartObjects = await objects(old, lbChart);
        expect(Object.keys(chartObjects).some((k) => k.startsWith("custom-bots/"))).to.equal(true);
        const copied = await objects(next, lbStack);
        // The new store also holds the backups it was copied through (its in-cluster backup bucket).
        const { bucket } = next.config.backups.target;
        expect(Object.fromEntries(Object.entries(copied).filter(([k]) => !k.startsWith(`${bucket}/`)))).to.deep.equal(chartObjects);
    });

    it("the0's api on the new stack's rendering signs the chart's admin in with the chart's password, and the chart's session still works", async () => {
        await startNats(next, lbStack);
        lbStack.alias(fullName(next.config, "bot-controller"), 9477, 9477);
        const api = await startApi(next, lbStack);
        const client = new ApiClient(`http://127.0.0.1:${api.ports.get(3000)}`);
        expect((await client.login(ADMIN.email, ADMIN.password)).status).to.equal(201);
        const session = new ApiClient(client.base);
        session.token = chartToken;
        const bots = await session.call("GET", "/custom-bots");
        expect(bots.status).to.equal(200);
        expect(JSON.stringify(bots.json)).to.include("moved-strategy");
    });
});
