// A PostgreSQL major upgrade the way the deployment doc's "Major upgrades of a data store" does it,
// with real servers: the dev stack's PostgreSQL 15 holds the0's schema and data; the backup CronJob's
// containers dump it to the in-cluster bucket; the program refuses the new major on that data; the
// old server goes (its volume with it) and PostgreSQL 16 starts on an empty volume from the
// rendering with the new image, as the new StatefulSet would; the restore Job's containers load the
// dump, and every row of the0's compares equal. The dump is pg_dump's custom format from the backup
// script; pg_restore here is the one this machine has (PostgreSQL 15's client, Debian), where the
// cluster's restore Job runs the new image's pg_restore 16: the server side is the new major for real.
import { expect } from "chai";
import { restorePod } from "../../components/backup/jobs";
import { secretSpecs, SecretConfigKey } from "../../components/config/secretRegistry";
import { majorChanges } from "../../components/live/storeMajors";
import { backupJobName } from "../../components/plan/backups";
import { Loopback, run, stopAll } from "../../tools/realPods/process";
import { RenderedStack, renderStack } from "../../tools/realPods/render";
import { psql, RunningPod, startMinio, startPostgres } from "../../tools/realPods/servers";
import { runPod, runPodOk } from "./jobs";
import { seedThe0Database, snapshotRows } from "./the0Data";

const BOTS = 2_000;
const BACKUPS = JSON.stringify({ enabled: true, retention: { count: 2, maxAgeDays: 0 } });
const NEXT_IMAGE = "postgres:16.14-alpine";

/** The stack's secret config that produced a rendering's Secret, so a second rendering runs with the same credentials. */
function secretsOf(r: RenderedStack): Partial<Record<SecretConfigKey, string>> {
    const out: Partial<Record<SecretConfigKey, string>> = {};
    for (const spec of secretSpecs()) {
        const first = "appSecret" in spec.fills ? spec.fills.appSecret[0] : undefined;
        if (spec.generated && first && r.secret[first]) out[spec.key] = r.secret[first];
    }
    return out;
}

describe("contract: a PostgreSQL major upgrade through the backup's dump and the restore Job (15 to 16)", function () {
    this.timeout(600_000);
    const lb = new Loopback();
    let old: RenderedStack;
    let next: RenderedStack;
    let pg: RunningPod;
    let rows: Record<string, string>;
    const sqlOn = (r: RenderedStack) => (query: string) =>
        run(psql(), ["-h", "127.0.0.1", "-p", String(pg.ports.get(5432)), "-U", r.config.postgres.user, "-d", r.config.postgres.database, "-v", "ON_ERROR_STOP=1", "-Atc", query], { PGPASSWORD: r.secret["postgresql-password"] });

    before(async () => {
        old = await renderStack("dev", {}, { backups: BACKUPS });
        pg = await startPostgres(old, lb);
        await startMinio(old, lb);
        seedThe0Database(sqlOn(old), BOTS);
        rows = snapshotRows(sqlOn(old));
    });

    after(stopAll);

    it("the backup CronJob's containers dump PostgreSQL 15 into the bucket", () => {
        expect(sqlOn(old)("show server_version_num")).to.match(/^15\d{4}\n$/);
        const b = runPodOk(old, lb, "backup-postgres-before-upgrade", old.podContainers("CronJob", backupJobName(old.config, "postgres")));
        expect(b[1].output).to.match(/uploaded target\/the0-backups\/dev\/postgres\/\d{8}T\d{6}Z\.dump/);
    });

    it("the program refuses the new image on that data", async () => {
        next = await renderStack("dev", secretsOf(old), { backups: BACKUPS, postgres: JSON.stringify({ image: NEXT_IMAGE }) });
        expect(majorChanges(next.plan, { postgres: old.config.postgres.image })).to.have.length(1);
    });

    it("PostgreSQL 16 on a new volume, from the new rendering: the restore Job loads the dump, and every row compares equal", async () => {
        await pg.process.stop();
        pg = await startPostgres(next, lb, "THE0_POSTGRES_NEXT_BIN");
        expect(sqlOn(next)("show server_version_num")).to.match(/^16\d{4}\n$/);
        const containers = next.containersOf(restorePod(next.plan, "postgres", { from: "latest", force: false }).spec, "restore-postgres-after-upgrade");
        const rs = runPod(next, lb, "restore-postgres-after-upgrade", containers);
        expect(rs.map((x) => [x.container, x.status]), rs.map((x) => x.output).join("\n")).to.deep.equal([["fetch", 0], ["restore", 0]]);
        expect(snapshotRows(sqlOn(next))).to.deep.equal(rows);
        expect(rows.bots.trim().split("\n")).to.have.length(BOTS);
    });
});
