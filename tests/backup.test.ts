// Scheduled backups and restore Jobs: what each CronJob runs and from which image, its schedule and
// limits, the Secret with an S3 target's keys, network paths, outputs, and the restore Job manifest.
import { expect } from "chai";
import { restoreJob } from "../components/backup/jobs";
import * as scripts from "../components/backup/scripts";
import { DATA_IMAGES } from "../components/config/pins";
import { networkGraph } from "../components/network/graph";
import { normaliseFrom, parseArgs, UsageError } from "../tools/commands/restore";
import { build, buildStack, cloudValues, CLOUD_BACKUP_TARGET, containsSecret, Model, podSpecOf, T, unwrap } from "../tools/render/render";

const NetworkPolicy = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const envOf = (c: any): Record<string, unknown> => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe("backups", () => {
    let staging: Model;
    /** The dev stack with backups switched on: into the in-cluster object storage. */
    let devWithBackups: Model;
    before(async () => {
        staging = await buildStack("staging");
        devWithBackups = await buildStack("dev", { overrides: { backups: JSON.stringify({ enabled: true }) } });
    });

    it("are off on the dev stack and on for cloud stacks, a CronJob per in-cluster store", async () => {
        const dev = await buildStack("dev");
        expect(dev.ofType(T.CronJob).map((c) => unwrap(c.inputs).metadata.name)).to.deep.equal(["the0-gc"]);
        const names = staging.ofType(T.CronJob).map((c) => unwrap(c.inputs).metadata.name).sort();
        expect(names).to.deep.equal(["the0-backup-minio", "the0-backup-mongo", "the0-backup-postgres", "the0-gc"]);
    });

    it("run on the schedule in UTC, never two at once, skip a run missed by an hour, stop at the deadline, keep a short history", () => {
        for (const store of ["postgres", "mongo", "minio"]) {
            const spec = staging.spec(T.CronJob, `the0-backup-${store}`);
            expect(spec, store).to.deep.include({ schedule: "17 2 * * *", timeZone: "Etc/UTC", concurrencyPolicy: "Forbid", startingDeadlineSeconds: 3600, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
            expect(spec.jobTemplate.spec, store).to.deep.include({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
            expect(spec.jobTemplate.spec.template.spec.restartPolicy).to.equal("Never");
        }
    });

    it("dump each database with its server's own image and the0's connection string, then upload with the pinned MinIO client", () => {
        const pg = podSpecOf("CronJob", staging.spec(T.CronJob, "the0-backup-postgres"));
        expect(pg.initContainers.map((c: any) => [c.name, c.image, c.command])).to.deep.equal([["dump", DATA_IMAGES.postgres, ["/bin/sh", "-c", scripts.DUMP_POSTGRES]]]);
        expect(envOf(pg.initContainers[0]).DATABASE_URL).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "database-url" } });
        expect(pg.containers.map((c: any) => [c.name, c.image, c.command])).to.deep.equal([["upload", DATA_IMAGES.mc, ["/bin/sh", "-c", scripts.UPLOAD]]]);
        const mg = podSpecOf("CronJob", staging.spec(T.CronJob, "the0-backup-mongo"));
        expect(mg.initContainers.map((c: any) => [c.name, c.image, c.command])).to.deep.equal([["dump", DATA_IMAGES.mongo, ["/bin/sh", "-c", scripts.DUMP_MONGO]]]);
        expect(envOf(mg.initContainers[0]).MONGO_URL).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "mongo-url" } });
        expect(scripts.DUMP_MONGO).to.include("mongodump --uri=\"$MONGO_URL\" --archive=").and.include("--gzip");
        expect(scripts.DUMP_POSTGRES).to.include("pg_dump --format=custom");
        const os = podSpecOf("CronJob", staging.spec(T.CronJob, "the0-backup-minio"));
        expect(os.initContainers).to.equal(undefined);
        expect(os.containers.map((c: any) => [c.name, c.image])).to.deep.equal([["mirror", DATA_IMAGES.mc]]);
        expect(envOf(os.containers[0])).to.deep.include({ SOURCE_URL: "http://the0-minio:9000", EXCLUDE_BUCKET: "" });
    });

    it("upload to <bucket>/<stack>/<store>/ with the keys of the Secret the stack names, and the retention of the config", () => {
        const pg = podSpecOf("CronJob", staging.spec(T.CronJob, "the0-backup-postgres"));
        expect(envOf(pg.containers[0])).to.deep.equal({
            TARGET_URL: "https://s3.eu-west-1.amazonaws.com",
            TARGET_ACCESS_KEY: { secretKeyRef: { name: "the0-backup-credentials", key: "access-key" } },
            TARGET_SECRET_KEY: { secretKeyRef: { name: "the0-backup-credentials", key: "secret-key" } },
            TARGET_PATH: "the0-staging-backups/staging/postgres",
            CREATE_BUCKET: "false",
            KEEP_COUNT: "14",
            KEEP_DAYS: "30",
            HOME: "/tmp",
        });
        // The dump and the upload share one scratch emptyDir; /tmp is each one's HOME.
        expect(pg.volumes.map((v: any) => [v.name, v.emptyDir])).to.deep.equal([["backup", {}], ["tmp", {}]]);
        expect(pg.automountServiceAccountToken).to.equal(false);
        expect(pg.serviceAccountName).to.equal("the0-backup");
    });

    it("keep an S3 target's keys in a Secret of their own, set only from secret config", async () => {
        const m = await build(cloudValues({ backups: JSON.stringify({ target: { ...CLOUD_BACKUP_TARGET, existingSecret: "" } }) }), { secrets: { backupAccessKey: "AKIABACKUPEXAMPLE", backupSecretKey: "backup/secret+key" } });
        const secret = m.object(T.Secret, "the0-backup-target");
        const data = unwrap(secret.inputs).stringData;
        expect(data).to.deep.equal({ "access-key": "AKIABACKUPEXAMPLE", "secret-key": "backup/secret+key" });
        expect(containsSecret(secret.inputs.stringData), "marked secret").to.equal(true);
        const env = envOf(podSpecOf("CronJob", m.spec(T.CronJob, "the0-backup-mongo")).containers[0]);
        expect(env.TARGET_SECRET_KEY).to.deep.equal({ secretKeyRef: { name: "the0-backup-target", key: "secret-key" } });
        // No app pod reads it, so a change of the backup keys rolls nothing.
        for (const d of m.ofType(T.Deployment)) expect(JSON.stringify(unwrap(d.inputs).spec)).to.not.include("the0-backup-target");
    });

    it("skip external stores, and say so in the outputs", async () => {
        const m = await build(cloudValues({ postgres: JSON.stringify({ mode: "external", external: { host: "db.example.com" } }) }), { secrets: { postgresPassword: "external-password-1" } });
        expect(m.has(T.CronJob, "the0-backup-postgres")).to.equal(false);
        const summary = m.platform.outputs.backups;
        if (summary === "disabled") throw new Error("backups are on for cloud stacks");
        expect(summary.stores).to.deep.equal(["mongo", "objectStorage"]);
        expect(summary.notBackedUp).to.deep.equal({ postgres: "external: back it up with its provider" });
        expect(summary.target).to.equal("https://s3.eu-west-1.amazonaws.com, s3://the0-test-backups/test/");
        expect(summary.schedule).to.equal("17 2 * * * (UTC)");
        expect(summary.lastRuns).to.equal("kubectl -n the0 get jobs -l 'app.kubernetes.io/instance=the0,app.kubernetes.io/component in (backup-mongo,backup-minio)' --sort-by=.status.startTime");
        expect((await buildStack("dev")).platform.outputs.backups).to.equal("disabled");
    });

    it("into the in-cluster object storage (dev): a bucket of its own, the server's keys, and the bucket left out of the mirror", async () => {
        const m = devWithBackups;
        const os = podSpecOf("CronJob", m.spec(T.CronJob, "the0-backup-minio")).containers[0];
        expect(envOf(os)).to.deep.include({
            TARGET_URL: "http://the0-minio:9000",
            TARGET_ACCESS_KEY: { secretKeyRef: { name: "the0-secrets", key: "minio-access-key" } },
            TARGET_PATH: "the0-backups/dev/objectStorage",
            CREATE_BUCKET: "true",
            EXCLUDE_BUCKET: "the0-backups",
        });
        expect(m.has(T.Secret, "the0-backup-target")).to.equal(false);
    });

    it("reach exactly their store and the target: one NetworkPolicy per backup job", () => {
        const policy = (name: string) => unwrap(staging.object(NetworkPolicy, name).inputs).spec;
        const pg = policy("the0-backup-postgres");
        expect(pg.ingress).to.deep.equal([]);
        expect(pg.egress.map((e: any) => [e.to[0].podSelector?.matchLabels?.["app.kubernetes.io/component"] ?? e.to[0].ipBlock?.cidr ?? "dns", e.ports.map((p: any) => p.port)])).to.deep.equal([
            ["postgres", [5432]],
            ["0.0.0.0/0", [443]],
            ["dns", [53, 53]],
        ]);
        const dev = networkGraph(devWithBackups.plan).filter((e) => "pod" in e.from && e.from.pod.startsWith("backup-"));
        expect(dev.map((e) => `${"pod" in e.from ? e.from.pod : ""}->${"pod" in e.to ? e.to.pod : "dns"}:${e.ports}`)).to.deep.equal([
            "backup-postgres->postgres:5432", "backup-postgres->minio:9000",
            "backup-mongo->mongo:27017", "backup-mongo->minio:9000",
            "backup-minio->minio:9000",
            "backup-postgres->dns:53", "backup-mongo->dns:53", "backup-minio->dns:53",
        ]);
    });

    it("restore as a one-shot Job with the same pod: fetch with the client, restore with the server's image, never retried", () => {
        const job = restoreJob(staging.plan, "postgres", { from: "20261203T021700Z", force: false });
        expect(job.metadata).to.deep.include({ name: "the0-restore-postgres", namespace: "the0" });
        expect(job.metadata.labels).to.include({ "app.kubernetes.io/component": "backup-postgres", "the0.app/restore": "true" });
        expect(job.spec).to.deep.include({ backoffLimit: 0, activeDeadlineSeconds: 3600 });
        const pod = job.spec.template.spec as any;
        expect(pod.initContainers.map((c: any) => [c.name, c.image])).to.deep.equal([["fetch", DATA_IMAGES.mc]]);
        expect(pod.containers.map((c: any) => [c.name, c.image])).to.deep.equal([["restore", DATA_IMAGES.postgres]]);
        expect(envOf(pod.containers[0])).to.deep.include({ FROM: "20261203T021700Z", FORCE: "false" });
        expect(envOf(pod.initContainers[0])).to.deep.include({ TARGET_PATH: "the0-staging-backups/staging/postgres", FROM: "20261203T021700Z" });
        // Hardened like every pod, so PSA restricted admits it.
        for (const c of [...pod.initContainers, ...pod.containers]) {
            expect(c.securityContext).to.deep.include({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
        }
        expect(pod.automountServiceAccountToken).to.equal(false);
        const mongo = restoreJob(staging.plan, "mongo", { from: "latest", force: true }).spec.template.spec as any;
        expect(mongo.containers[0].image).to.equal(DATA_IMAGES.mongo);
        expect(scripts.RESTORE_MONGO).to.include("mongorestore --uri=\"$MONGO_URL\"").and.include("--drop").and.include("--nsExclude='admin.*'");
        const os = restoreJob(staging.plan, "objectStorage", { from: "latest", force: false }).spec.template.spec as any;
        expect(os.initContainers).to.equal(undefined);
        expect(os.containers.map((c: any) => c.name)).to.deep.equal(["restore"]);
    });

    it("report their outputs without a credential", async () => {
        const m = await build(cloudValues({ backups: JSON.stringify({ target: { ...CLOUD_BACKUP_TARGET, existingSecret: "" } }) }), { secrets: { backupAccessKey: "AKIABACKUPEXAMPLE", backupSecretKey: "backup-secret-value" } });
        const text = JSON.stringify(m.platform.outputs.backups);
        expect(text).to.include("the0-test-backups");
        expect(text).to.not.include("AKIABACKUPEXAMPLE").and.not.include("backup-secret-value");
    });
});


describe("npm run restore: arguments", () => {
    it("takes a store, a time in either form, a backup name, --force and --yes", () => {
        expect(parseArgs(["--stack", "staging", "--store", "all"])).to.deep.equal({ stack: "staging", stores: "all", from: "latest", force: false, yes: false });
        expect(parseArgs(["--stack", "s", "--store", "postgres", "--from", "2026-12-03T02:17:00Z", "--force", "--yes"])).to.deep.include({ from: "20261203T021700Z", force: true, yes: true });
        expect(parseArgs(["--stack", "s", "--store", "mongo", "--from", "20261203T021712Z.archive.gz"]).from).to.equal("20261203T021712Z.archive.gz");
        expect(normaliseFrom("2026-12-03T03:17:00+01:00")).to.equal("20261203T021700Z");
    });

    it("refuses what it cannot do, before it does anything", () => {
        const refusal = (argv: string[]) => {
            try {
                parseArgs(argv);
            } catch (e) {
                expect(e).to.be.instanceOf(UsageError);
                return (e as Error).message;
            }
            return "accepted";
        };
        expect(refusal(["--stack", "s"])).to.match(/^usage: npm run restore -- --stack <stack> --store/);
        expect(refusal(["--stack", "s", "--store", "redis"])).to.equal("--store must be one of all, postgres, mongo, objectStorage");
        expect(refusal(["--stack", "s", "--store", "all", "--from", "20261203T021712Z.dump"])).to.equal("--store all takes --from latest or a time: a backup's name belongs to one store");
        expect(refusal(["--stack", "s", "--store", "all", "--from", "2026-13-45T99:00:00Z"])).to.equal("--from 2026-13-45T99:00:00Z is not a time");
        expect(refusal(["--stack", "s", "--store", "all", "--now"])).to.equal("unknown argument --now");
    });
});
