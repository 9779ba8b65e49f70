// Coming from the0's chart: every value the chart declares has a row (a config key, a secret, or
// nothing with the reason), every row names a key this program reads, and the chart's own examples
// translate into config the program's validation reads without an unknown key.
import { expect } from "chai";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { resolveConfig } from "../components/config/resolve";
import { CONFIG_SCHEMA } from "../components/config/schema";
import { SECRET_CONFIG_KEYS, secretValueProblems } from "../components/config/secretRegistry";
import { ConfigError } from "../components/config/validate";
import { backupName, migrationDumpJob, MIGRATION_LABEL, migrationNetworkPolicy } from "../components/backup/jobs";
import * as scripts from "../components/backup/scripts";
import { describePlan, parseArgs, planMigration, RefusedError, stackConfigValues, stepLines, storesToCopy, UsageError } from "../tools/commands/migrateFromHelm";
import { sourceObjectStorageUrl, sourceSecretData } from "../tools/migrate/release";
import { buildStack, Model, podSpecOf, T } from "../tools/render/render";
import { CHART_VALUE_ROWS, chartFullName, ChartValues, leaves, rowFor, Translation, translateChartValues } from "../tools/migrate/chartValues";
import { PROJECT } from "../tools/render/render";
import { peerChartDir } from "../tools/toolchain/peers";

const CHART = peerChartDir();
const chartFile = (name: string) => parse(readFileSync(join(CHART, name), "utf8")) as ChartValues;

/** The problems validation reports for a translation (none when it is valid). */
function problemsOf(t: Translation): string[] {
    try {
        resolveConfig({ project: PROJECT, stack: "migrated", values: stackConfigValues(t.config), secretsProvided: Object.keys(t.secrets) });
        return [];
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return e.problems.map((p) => `${p.key}: ${p.allowed}`);
    }
}

describe("migrate: the0's chart values and what they become here", () => {
    const chartValues = chartFile("values.yaml");

    it("every value the chart declares has a row", () => {
        const missing = leaves(chartValues).map(([path]) => path).filter((path) => !rowFor(path));
        expect(missing).to.deep.equal([]);
    });

    it("every row is a value of the chart (declared in values.yaml, read by a template, or named in values.yaml's comments)", () => {
        const declared = new Set(leaves(chartValues).map(([path]) => path));
        const comments = readFileSync(join(CHART, "values.yaml"), "utf8");
        const templates = readdirSync(join(CHART, "templates")).map((f) => readFileSync(join(CHART, "templates", f), "utf8")).join("\n");
        for (const row of CHART_VALUE_ROWS) {
            const path = row.value.replace(/\.\*$/, "");
            const known = declared.has(path) || [...declared].some((d) => d.startsWith(`${path}.`)) || templates.includes(`.Values.${path}`) || comments.includes(path.split(".").pop()!);
            expect(known, row.value).to.equal(true);
        }
    });

    it("every row names a config key or secret this program reads", () => {
        const keys = new Set(CONFIG_SCHEMA.map((s) => s.key));
        for (const row of CHART_VALUE_ROWS) {
            const t = row.target;
            if ("key" in t) expect(keys.has(t.key.split(".")[0]), `${row.value} -> ${t.key}`).to.equal(true);
            if ("secret" in t) expect(SECRET_CONFIG_KEYS as readonly string[], row.value).to.include(t.secret);
        }
    });

    it("the AWS example: external stores, replicas, images, secrets; what has no counterpart is said", () => {
        const t = translateChartValues(chartFile("examples/aws-production.yaml"));
        expect(t.config).to.deep.include({
            imagePullPolicy: "Always",
            "postgres.mode": "external",
            "postgres.external.host": "the0-db.xxxxxxxxxxxx.us-east-1.rds.amazonaws.com",
            "postgres.user": "the0admin",
            "postgres.external.sslmode": "require",
            "mongo.mode": "external",
            "mongo.external.user": "the0admin",
            "mongo.external.options": "tls=true&tlsCAFile=/etc/ssl/rds-combined-ca-bundle.pem&retryWrites=false",
            "nats.mode": "external",
            "objectStorage.mode": "external",
            "objectStorage.external.endpoint": "s3.amazonaws.com",
            "objectStorage.external.useSsl": true,
            "apps.api.replicas": 2,
            "apps.api.image": "ghcr.io/alexanderwanyoike/the0/api:1.14.0",
            "apps.frontend.image": "ghcr.io/alexanderwanyoike/the0/frontend:1.14.0",
            "apps.botController.image": "ghcr.io/alexanderwanyoike/the0/runtime:1.14.0",
            botImagePullPolicy: "Always",
            profile: "cloud",
            "nodePorts.enabled": false,
            "ingress.enabled": true,
        });
        expect(t.secrets).to.deep.equal({
            postgresPassword: "CHANGEME", mongoRootPassword: "CHANGEME", minioAccessKey: "CHANGEME", minioSecretKey: "CHANGEME", jwtSecret: "CHANGEME",
            natsUrl: "nats://nats.internal.example.com:4222",
        });
        expect(t.notCarried).to.include("minio.external.region: the0 1.14 reads no region");
        expect(t.notCarried.filter((n) => n.startsWith("the0Api.env.CUSTOM_BOTS_BUCKET"))).to.have.length(1);
    });

    it("every example of the chart translates into keys validation knows; what it refuses is about values, with the reason", () => {
        for (const example of ["minimal-external.yaml", "aws-production.yaml", "gcp-production.yaml"]) {
            const problems = problemsOf(translateChartValues(chartFile(`examples/${example}`)));
            expect(problems.filter((p) => /is not a key|unknown/.test(p)), example).to.deep.equal([]);
        }
        // What the AWS example would need changing here, each for a reason of its own.
        const aws = problemsOf(translateChartValues(chartFile("examples/aws-production.yaml")));
        expect(aws.some((p) => p.startsWith("the0-infra:objectStorage.external.endpoint: Amazon S3 names buckets in one namespace"))).to.equal(true);
        // A signing secret shorter than 32 bytes is refused when it is set (the example's CHANGEME, 8 bytes).
        expect(secretValueProblems("jwtSecret", translateChartValues(chartFile("examples/aws-production.yaml")).secrets.jwtSecret!)).to.not.deep.equal([]);
    });

    it("a release that sets nothing translates to nothing: the chart's defaults are this program's to choose", () => {
        expect(translateChartValues({})).to.deep.equal({ config: {}, secrets: {}, notCarried: [] });
    });

    it("the admin password from the api's extraEnv: a literal becomes the secret, a Secret reference is returned to read", () => {
        expect(translateChartValues({ the0Api: { extraEnv: [{ name: "THE0_ADMIN_PASSWORD", value: "literal-admin" }] } }).secrets).to.deep.equal({ rootAdminPassword: "literal-admin" });
        const t = translateChartValues({ the0Api: { extraEnv: [{ name: "THE0_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: "admin", key: "password" } } }] } });
        expect(t.adminPasswordRef).to.deep.equal({ name: "admin", key: "password" });
    });

    it("a value that is not the chart's is reported, not guessed", () => {
        expect(translateChartValues({ postgresql: { replicas: 3 } }).notCarried).to.deep.equal(["postgresql.replicas: not a value of the0's chart 0.9.1"]);
    });
});

describe("migrate: npm run migrate:from-helm, step 1 (the release's values and credentials into the stack's config)", () => {
    const o = parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "production"]);
    const chartSecret = { name: "prod-the0-secrets", data: {
        "postgresql-password": "chart-postgres-password", "mongodb-root-password": "chart-mongo-password",
        "minio-access-key": "chartaccess", "minio-secret-key": "chart-minio-secret", "jwt-secret": "a-jwt-secret-the-chart-signed-sessions-with-0123456789",
        "database-url": "postgresql://the0:x@prod-the0-postgres:5432/the0_oss", "mongo-url": "mongodb://root:x@prod-the0-mongo:27017",
    } };

    it("arguments: a new namespace beside the release by default, never the release's own; what is missing is a usage error", () => {
        expect(o).to.deep.equal({ release: "prod", namespace: "the0", stack: "production", toNamespace: "the0-next", context: "", yes: false, finish: false, rollback: false });
        expect(() => parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "s", "--finish", "--rollback"])).to.throw(UsageError, "--finish and --rollback are two ends of a migration: choose one");
        expect(() => parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "s", "--to-namespace", "the0"])).to.throw(UsageError, "--to-namespace must differ from --namespace");
        expect(() => parseArgs(["--release", "prod"])).to.throw(UsageError, "usage: npm run migrate:from-helm");
        expect(() => parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "s", "--force"])).to.throw(UsageError, "unknown argument --force");
    });

    it("the credentials the release runs with become the stack's secrets; its names and a new namespace the config", () => {
        const plan = planMigration(o, { chart: "the0-0.9.1", values: { the0Api: { replicas: 3 } }, secret: chartSecret, adminPassword: "the-admin-password" });
        expect(plan.config).to.deep.equal({ "apps.api.replicas": 3, namespace: "the0-next", instanceName: "prod-the0", "backups.enabled": true });
        const withContext = planMigration({ ...o, context: "prod-eu1" }, { chart: "the0-0.9.1", values: {}, secret: chartSecret });
        expect(withContext.config.kubeContext).to.equal("prod-eu1");
        expect(Object.fromEntries(Object.entries(plan.secrets).map(([k, s]) => [k, s!.value]))).to.deep.equal({
            postgresPassword: "chart-postgres-password", mongoRootPassword: "chart-mongo-password", minioAccessKey: "chartaccess", minioSecretKey: "chart-minio-secret",
            jwtSecret: "a-jwt-secret-the-chart-signed-sessions-with-0123456789", rootAdminPassword: "the-admin-password",
        });
        expect(plan.notCarried).to.deep.equal([]);
    });

    it("prints every key, and for a secret only where it comes from", () => {
        const plan = planMigration(o, { chart: "the0-0.9.1", values: {}, secret: chartSecret });
        const printed = describePlan(o, plan).join("\n");
        expect(printed).to.include('  config namespace = "the0-next"');
        expect(printed).to.include("  secret postgresPassword: from Secret prod-the0-secrets, key postgresql-password");
        for (const value of Object.values(chartSecret.data)) expect(printed).to.not.include(value);
    });

    it("a credential this program refuses is not carried, with what follows (the chart's default JWT secret is 19 bytes)", () => {
        const plan = planMigration(o, { chart: "the0-0.9.1", values: {}, secret: { ...chartSecret, data: { ...chartSecret.data, "jwt-secret": "your-jwt-secret-key" } } });
        expect(plan.secrets.jwtSecret).to.equal(undefined);
        expect(plan.notCarried).to.have.length(1);
        expect(plan.notCarried[0]).to.match(/^secret jwtSecret \(Secret prod-the0-secrets, key jwt-secret\): refused here, .*32 bytes.*; a new one is generated, so everyone signs in again$/);
        expect(plan.notCarried[0]).to.not.include("your-jwt-secret-key");
    });

    it("node ports the release holds (allocated cluster-wide) move the stack's block up by whole hundreds, said in the dry run; validation accepts them", () => {
        const held = [30000, 30001, 30002, 30004, 30103];
        const plan = planMigration(o, { chart: "the0-0.9.1", values: {}, secret: chartSecret, nodePortsInUse: held });
        // 30103 is taken too, so the block lands at 302xx.
        expect(plan.config).to.include({ "nodePorts.api": 30200, "nodePorts.frontend": 30201, "nodePorts.minio": 30202, "nodePorts.minioConsole": 30203, "nodePorts.docs": 30204 });
        expect(describePlan(o, plan).join("\n")).to.include("  note: node ports api 30000, frontend 30001, minio 30002, docs 30004 are held by the cluster (the release's Services) until --finish: the stack takes 30200, 30201, 30202, 30203, 30204");
        expect(problemsOf({ config: plan.config, secrets: {}, notCarried: [] })).to.deep.equal([]);
        // The chart's own ports, when set, are the ones moved.
        const custom = planMigration(o, { chart: "the0-0.9.1", values: { externalServices: { nodePort: { api: 31000 } } }, secret: chartSecret, nodePortsInUse: [31000] });
        expect(custom.config["nodePorts.api"]).to.equal(31100);
        expect(custom.config["nodePorts.frontend"]).to.equal(30101);
        // Nothing held: nothing set, nothing said.
        const free = planMigration(o, { chart: "the0-0.9.1", values: {}, secret: chartSecret, nodePortsInUse: [31500] });
        expect(Object.keys(free.config).filter((k) => k.startsWith("nodePorts."))).to.deep.equal([]);
        expect(free.notes).to.deep.equal([]);
        // No free block left below 32767: refused before anything is written.
        const full = Array.from({ length: 2768 }, (_, i) => 30000 + i).filter((p) => p % 100 === 0);
        expect(() => planMigration(o, { chart: "the0-0.9.1", values: {}, secret: chartSecret, nodePortsInUse: full })).to.throw(RefusedError, "node ports api 30000 are held and no free block of 5 remains below 32767");
    });

    it("a release of another chart is refused", () => {
        expect(() => planMigration(o, { chart: "redis-19.0.1", values: {} })).to.throw(RefusedError, "release prod in the0 is chart redis-19.0.1, not the0's chart (the0-<version>): nothing to migrate");
    });

    it("the chart's full name: an override, the release when it holds the chart's name, else <release>-the0", () => {
        expect(chartFullName("the0", {})).to.equal("the0");
        expect(chartFullName("prod", {})).to.equal("prod-the0");
        expect(chartFullName("prod", { fullnameOverride: "trading" })).to.equal("trading");
    });
});

describe("migrate: the copy (steps 3 and 4), built with the backup CronJobs' own containers", () => {
    let dev: Model;
    let devNoBackups: Model;
    const source = { secretName: "the0-migration-source", objectStorageUrl: "http://prod-the0-minio.the0.svc:9000" };

    before(async () => {
        dev = await buildStack("dev", { overrides: { backups: JSON.stringify({ enabled: true }) } });
        devNoBackups = await buildStack("dev");
    });

    const envOf = (container: any): Record<string, unknown> => Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));

    it("a dump job is the backup CronJob's pod, reading the release's stores through the migration's Secret, named by the stamp it is given", () => {
        const cron = podSpecOf("CronJob", dev.spec(T.CronJob, "the0-backup-postgres"));
        const job = migrationDumpJob(dev.plan, "postgres", { stamp: "20261206T140000Z", source });
        expect(job.metadata.name).to.equal("the0-migrate-postgres");
        expect(job.metadata.labels[MIGRATION_LABEL]).to.equal("true");
        expect(job.spec.backoffLimit).to.equal(0);
        const pod = job.spec.template.spec as any;
        expect((job.spec.template.metadata as any).labels).to.include({ "app.kubernetes.io/component": "backup-postgres", [MIGRATION_LABEL]: "true" });
        // Same images, scripts, users, hardening and volumes as the scheduled backup: only the source and the name differ.
        const strip = (c: any) => JSON.parse(JSON.stringify({ ...c, env: undefined }));
        expect(pod.initContainers.map(strip)).to.deep.equal(cron.initContainers.map(strip));
        expect(pod.containers.map(strip)).to.deep.equal(cron.containers.map(strip));
        expect(pod.securityContext).to.deep.equal(cron.securityContext);
        expect(pod.automountServiceAccountToken).to.equal(false);
        const dump = envOf(pod.initContainers[0]);
        expect(dump.DATABASE_URL).to.deep.equal({ name: "the0-migration-source", key: "database-url" });
        expect(dump.STAMP).to.equal("20261206T140000Z");
        const upload = envOf(pod.containers[0]);
        expect(upload.TARGET_PATH).to.equal(envOf(cron.containers[0]).TARGET_PATH);
        expect(upload.TARGET_ACCESS_KEY).to.deep.equal(envOf(cron.containers[0]).TARGET_ACCESS_KEY);
        expect(backupName("postgres", "20261206T140000Z")).to.equal("20261206T140000Z.dump");
    });

    it("the object storage dump mirrors the release's MinIO (its endpoint and keys, nothing excluded) into a snapshot folder", () => {
        const pod = migrationDumpJob(dev.plan, "objectStorage", { stamp: "20261206T140000Z", source }).spec.template.spec as any;
        const mirror = envOf(pod.containers[0]);
        expect(mirror).to.include({ SOURCE_URL: "http://prod-the0-minio.the0.svc:9000", EXCLUDE_BUCKET: "", STAMP: "20261206T140000Z" });
        expect(mirror.SOURCE_SECRET_KEY).to.deep.equal({ name: "the0-migration-source", key: "minio-secret-key" });
        expect(backupName("objectStorage", "20261206T140000Z")).to.equal("20261206T140000Z");
        expect(backupName("mongo", "20261206T140000Z")).to.equal("20261206T140000Z.archive.gz");
        expect(scripts.MIRROR_OBJECT_STORAGE).to.include("stamp=${STAMP:-$(date -u +%Y%m%dT%H%M%SZ)}");
    });

    it("the temporary NetworkPolicy lets only the dump pods reach the release's namespace, only on its stores' ports", () => {
        const np = migrationNetworkPolicy(dev.config, "the0", [27017, 5432, 9000, 5432]);
        expect(np.metadata).to.include({ name: "the0-migration-source", namespace: "the0" });
        expect(np.spec).to.deep.equal({
            podSelector: { matchLabels: { [MIGRATION_LABEL]: "true" } },
            policyTypes: ["Egress"],
            egress: [{
                to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "the0" } } }],
                ports: [5432, 9000, 27017].map((port) => ({ protocol: "TCP", port })),
            }],
        });
    });

    it("the release's Secret as the dump pods read it: its in-cluster hosts qualified with its namespace, an external store as it is", () => {
        const data = sourceSecretData({
            "database-url": "postgresql://the0:p%40ss@prod-the0-postgres:5432/the0_oss?sslmode=disable", "mongo-url": "mongodb://root:x@db.example.com:27017/the0?authSource=admin",
            "minio-access-key": "chartaccess", "minio-secret-key": "chart-minio-secret", "jwt-secret": "not-copied",
        }, "prod-the0", "the0");
        expect(data).to.deep.equal({
            "database-url": "postgresql://the0:p%40ss@prod-the0-postgres.the0.svc:5432/the0_oss?sslmode=disable",
            "mongo-url": "mongodb://root:x@db.example.com:27017/the0?authSource=admin",
            "minio-access-key": "chartaccess", "minio-secret-key": "chart-minio-secret",
        });
        expect(sourceObjectStorageUrl("prod-the0", "the0", 9000)).to.equal("http://prod-the0-minio.the0.svc:9000");
    });

    it("what is copied: each store the release runs in the cluster; a stack that does not back one up is refused", () => {
        expect(storesToCopy(dev.plan, {})).to.deep.equal(["postgres", "mongo", "objectStorage"]);
        expect(storesToCopy(dev.plan, { mongodb: { enabled: false } })).to.deep.equal(["postgres", "objectStorage"]);
        expect(() => storesToCopy(devNoBackups.plan, {})).to.throw(RefusedError, "stack dev does not back up postgres (backups.enabled, or postgres is external): the release's postgresql is copied through the stack's backup target");
    });

    it("the dry run names every step, the stop of the release's writers and the two ways to end", () => {
        const lines = stepLines(parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "production"])).join("\n");
        for (const s of ["must hold no resources", "pulumi up --stack production", "its bots' pods deleted", "restore Jobs load them", "smoke Job", "--finish", "--rollback"]) expect(lines).to.include(s);
    });
});
