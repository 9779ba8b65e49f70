// Backups and restores with the exact scripts the program's jobs run, against a real PostgreSQL and a
// real MinIO started from the same rendering: the0's tables (its migrations' schema) with 10k bots,
// 100 objects in the0's buckets; back up, lose the data, restore, compare row by row and object by
// object; retention, the choice of a backup by time, and the refusal to overwrite data without
// --force. MongoDB's dump and restore need mongodump and a real mongod, which no registry here
// serves (docs/toolchain.md): their commands are checked by the unit tests only.
import { expect } from "chai";
import { createHash } from "crypto";
import * as Minio from "minio";
import { backupJobName } from "../../components/plan/backups";
import { restorePod } from "../../components/backup/jobs";
import { BackupStore } from "../../components/model/backupStores";
import { fullName } from "../../components/k8s/meta";
import { apiMinio, apiPostgres } from "./the0-api";
import { Loopback, run, stopAll } from "../../tools/realPods/process";
import { RenderedStack, renderStack } from "../../tools/realPods/render";
import { psql, RunningPod, startMinio, startPostgres } from "../../tools/realPods/servers";
import { ContainerRun, runPod, runPodOk } from "./jobs";
import { seedThe0Database, snapshotRows } from "./the0Data";

const BOTS = 10_000;
const OBJECTS = 100;
const THE0_BUCKETS = ["custom-bots", "bot-logs", "bot-state"];

describe("contract: backups and restores run for real (PostgreSQL, MinIO)", function () {
    this.timeout(600_000);
    const lb = new Loopback();
    let r: RenderedStack;
    let pg: RunningPod;
    let minio: Minio.Client;
    const timings: string[] = [];
    let runs = 0;

    const sql = (query: string) => run(psql(), ["-h", "127.0.0.1", "-p", String(pg.ports.get(5432)), "-U", r.config.postgres.user, "-d", r.config.postgres.database, "-v", "ON_ERROR_STOP=1", "-Atc", query], { PGPASSWORD: r.secret["postgresql-password"] });
    const snapshot = () => snapshotRows(sql);
    const backup = (store: BackupStore) => runPodOk(r, lb, `backup-${store}-${++runs}`, r.podContainers("CronJob", backupJobName(r.config, store)));
    const restoreContainers = (store: BackupStore, from: string, force = false) => r.containersOf(restorePod(r.plan, store, { from, force }).spec, `restore-${store}-${++runs}`);
    const restore = (store: BackupStore, from = "latest", force = false) => runPod(r, lb, `restore-${store}-${++runs}`, restoreContainers(store, from, force));
    const backupsOf = async (store: BackupStore): Promise<string[]> => {
        const t = r.config.backups.target;
        const names: string[] = [];
        const stream = minio.listObjectsV2(t.bucket, `${r.stack}/${store}/`, false);
        for await (const o of stream as AsyncIterable<{ name?: string; prefix?: string }>) names.push((o.name ?? o.prefix)!.slice(`${r.stack}/${store}/`.length));
        return names.sort();
    };
    const objectDigests = async (): Promise<Record<string, string>> => {
        const out: Record<string, string> = {};
        for (const bucket of THE0_BUCKETS) {
            if (!(await minio.bucketExists(bucket))) continue;
            for await (const o of minio.listObjectsV2(bucket, "", true) as AsyncIterable<{ name: string }>) {
                const chunks: Buffer[] = [];
                for await (const c of await minio.getObject(bucket, o.name)) chunks.push(c as Buffer);
                out[`${bucket}/${o.name}`] = createHash("sha256").update(Buffer.concat(chunks)).digest("hex");
            }
        }
        return out;
    };
    const seconds = (rs: ContainerRun[]) => rs.reduce((s, x) => s + x.seconds, 0).toFixed(1);

    before(async () => {
        // The dev stack with backups on, into the in-cluster bucket, keeping two per store.
        r = await renderStack("dev", {}, { backups: JSON.stringify({ enabled: true, retention: { count: 2, maxAgeDays: 0 } }) });
        pg = await startPostgres(r, lb);
        await startMinio(r, lb);
        const env = lb.rewriteEnv(r.container("Deployment", fullName(r.config, "api")).env, [["MINIO_ENDPOINT", "MINIO_PORT"]]);
        minio = apiMinio(env);
        for (const b of THE0_BUCKETS) if (!(await minio.bucketExists(b))) await minio.makeBucket(b);
        // the0's tables, as its migrations leave them, and a realistic amount of data.
        seedThe0Database(sql, BOTS);
        for (let i = 0; i < OBJECTS; i++) {
            const bucket = THE0_BUCKETS[i % THE0_BUCKETS.length];
            const body = Buffer.from(`object ${i} ${"x".repeat(i * 97)}`);
            await minio.putObject(bucket, `u${i % 7}/bot-${i}/${i % 2 ? "state.json" : "code.zip"}`, body);
        }
    });

    after(async () => {
        await stopAll();
        if (timings.length) console.log(`      measured: ${timings.join("; ")}`);
    });

    it("backs up PostgreSQL and restores every row into an emptied database, which the0's api then reads", async () => {
        const before = snapshot();
        expect(before.bots.trim().split("\n")).to.have.length(BOTS);
        const b = backup("postgres");
        expect(b.map((x) => x.container)).to.deep.equal(["dump", "upload"]);
        expect(b[1].output).to.match(/uploaded target\/the0-backups\/dev\/postgres\/\d{8}T\d{6}Z\.dump/);
        expect(await backupsOf("postgres")).to.have.length(1);

        // A lost database: everything dropped, the0's schema included.
        sql("drop schema public cascade; create schema public; drop schema drizzle cascade;");
        const rs = restore("postgres");
        expect(rs.map((x) => [x.container, x.status]), rs.map((x) => x.output).join("\n")).to.deep.equal([["fetch", 0], ["restore", 0]]);
        expect(snapshot()).to.deep.equal(before);
        timings.push(`PostgreSQL ${BOTS} bots + 700 other rows: backup ${seconds(b)} s, restore ${seconds(rs)} s`);

        // the0's api client, with the DATABASE_URL the program gives it, reads the restored data.
        const api = apiPostgres({ ...lb.rewriteEnv(r.container("Deployment", fullName(r.config, "api")).env), DB_POOL_CONNECT_TIMEOUT: "5" });
        try {
            const [row] = await api`select count(*)::int as n from bots where config->>'symbol' = 'BTC-USD'`;
            expect(row.n).to.equal(BOTS);
        } finally {
            await api.end({ timeout: 1 });
        }
    });

    it("refuses to restore over a database that has tables, and replaces it with --force", () => {
        const before = snapshot();
        sql("update bots set name = 'changed after the backup' where id = 'b1'");
        const refused = restore("postgres");
        expect(refused.map((x) => [x.container, x.status])).to.deep.equal([["fetch", 0], ["restore", 3]]);
        expect(refused[1].output).to.include("refusing to restore: the database has 6 tables; restore with --force to replace them");
        expect(sql("select name from bots where id = 'b1'"), "nothing changed").to.equal("changed after the backup\n");
        const forced = restore("postgres", "latest", true);
        expect(forced.map((x) => x.status)).to.deep.equal([0, 0]);
        expect(snapshot()).to.deep.equal(before);
    });

    it("keeps the newest backups the retention allows, and restores the one at or before a given time", async () => {
        const first = (await backupsOf("postgres"))[0];
        sql("insert into admin_mutation_locks values ('second', 2)");
        await new Promise((res) => setTimeout(res, 1100)); // backups are named by the second
        backup("postgres");
        sql("insert into admin_mutation_locks values ('third', 3)");
        await new Promise((res) => setTimeout(res, 1100));
        const third = backup("postgres");
        expect(third[1].output).to.include(`retention: removed target/the0-backups/dev/postgres/${first}`);
        const kept = await backupsOf("postgres");
        expect(kept, "retention count 2").to.have.length(2);
        expect(kept).to.not.include(first);

        // The older of the two by its time: the state with 'second' but not 'third'.
        const at = kept[0].slice(0, 16);
        expect(restore("postgres", at, true).map((x) => x.status)).to.deep.equal([0, 0]);
        expect(sql("select id from admin_mutation_locks order by 1")).to.equal("second\n");
        // A time before every backup matches none.
        const none = restore("postgres", "20000101T000000Z", true);
        expect(none.map((x) => [x.container, x.status])).to.deep.equal([["fetch", 2]]);
        expect(none[0].output).to.include("no backup under target/the0-backups/dev/postgres/ matches '20000101T000000Z'");
    });

    it("mirrors the0's buckets and restores every object into emptied buckets, refusing non-empty ones without --force", async () => {
        const before = await objectDigests();
        expect(Object.keys(before)).to.have.length(OBJECTS);
        const b = backup("objectStorage");
        expect(b.map((x) => x.container)).to.deep.equal(["mirror"]);
        expect(b[0].output).to.match(/snapshot target\/the0-backups\/dev\/objectStorage\/\d{8}T\d{6}Z complete/);
        // The backup bucket itself is not mirrored into itself.
        expect(b[0].output).to.not.include("mirrored the0-backups");

        const extra = "u0/added-after-the-backup.txt";
        await minio.putObject("custom-bots", extra, Buffer.from("new"));
        const refused = restore("objectStorage");
        expect(refused.map((x) => x.status)).to.deep.equal([3]);
        expect(refused[0].output).to.match(/refusing to restore: these buckets hold objects: .*custom-bots/);

        // Lost objects: every bucket emptied, one removed.
        for (const bucket of THE0_BUCKETS) {
            const names: string[] = [];
            for await (const o of minio.listObjectsV2(bucket, "", true) as AsyncIterable<{ name: string }>) names.push(o.name);
            await minio.removeObjects(bucket, names);
        }
        await minio.removeBucket("bot-state");
        const rs = restore("objectStorage");
        expect(rs.map((x) => x.status), rs[0].output).to.deep.equal([0]);
        expect(await objectDigests()).to.deep.equal(before);
        timings.push(`object storage ${OBJECTS} objects in ${THE0_BUCKETS.length} buckets: backup ${seconds(b)} s, restore ${seconds(rs)} s`);

        // --force makes the buckets exactly the snapshot: an object added since is gone.
        await minio.putObject("custom-bots", extra, Buffer.from("new"));
        expect(restore("objectStorage", "latest", true).map((x) => x.status)).to.deep.equal([0]);
        expect(await objectDigests()).to.deep.equal(before);
    });
});
