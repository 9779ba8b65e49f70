// postgres.mode cloudnative-pg: the Cluster and ScheduledBackup as rendered, the0's DATABASE_URL from the
// operator's Secret, the paths the NetworkPolicies open, monitoring, the refusals of the tools and the
// pre-deploy check, and validation. The operator itself reconciles this rendering in tests/e2e/cloudnativePg.e2e.ts.
import { expect } from "chai";
import { resolveConfig } from "../components/config/resolve";
import { ConfigError, Problem } from "../components/config/validate";
import { alertRules } from "../components/monitoring/alerts";
import { dashboards } from "../components/monitoring/dashboards";
import { networkGraph } from "../components/network/graph";
import { WAIT_FOR_POSTGRES_SCRIPT } from "../components/app/postgresWait";
import { postgresModeSwitch, readPostgresHolders } from "../components/live/postgresMode";
import { cnpgSchedule, retentionPolicy, scheduleGapSeconds } from "../components/plan/postgresCluster";
import { cnpgRestoreRefusal, storesToRestore } from "../tools/commands/restore";
import { upgradeSteps, UsageError } from "../tools/commands/upgradeStore";
import { build, cloudValues, Model, PROJECT, unwrap } from "../tools/render/render";

const Cluster = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const ScheduledBackup = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup";
const NetworkPolicy = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const PodMonitor = "kubernetes:monitoring.coreos.com/v1:PodMonitor";
const obj = (o: unknown) => JSON.stringify(o);
const CNPG = obj({ mode: "cloudnative-pg" });

function problemsOf(values: Record<string, string>, secretsProvided: string[] = []): Problem[] {
    try {
        resolveConfig({ project: PROJECT, stack: "test", values, secretsProvided });
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
    return [];
}

describe("postgres.mode cloudnative-pg (cloud: three instances, backups on)", () => {
    let m: Model;
    before(async () => { m = await build(cloudValues({ postgres: CNPG, monitoring: obj({ enabled: true }) })); });

    it("declares one Cluster with the profile's instances, volume, resources and the pinned CloudNativePG image", () => {
        const clusters = m.ofType(Cluster).map((r) => unwrap(r.inputs));
        expect(clusters).to.have.length(1);
        const c = clusters[0];
        expect(c.apiVersion).to.equal("postgresql.cnpg.io/v1");
        expect(c.metadata).to.deep.include({ name: "the0-postgres", namespace: "the0" });
        expect(c.metadata.labels["app.kubernetes.io/component"]).to.equal("postgres");
        const s = c.spec;
        expect(s.instances).to.equal(3);
        expect(s.imageName).to.equal("ghcr.io/cloudnative-pg/postgresql:18.6-system-trixie");
        expect(s.imagePullPolicy).to.equal("Always");
        expect(s.storage).to.deep.equal({ size: "50Gi" });
        expect(s.resources).to.deep.equal({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } });
        expect(s.bootstrap).to.deep.equal({ initdb: { database: "the0_oss", owner: "the0", dataChecksums: true } });
        expect(s.enableSuperuserAccess).to.equal(false);
        expect(s.affinity).to.deep.equal({ enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname", podAntiAffinityType: "preferred" });
        expect(s.enablePDB).to.equal(true);
        expect(s).to.deep.include({ primaryUpdateStrategy: "unsupervised", primaryUpdateMethod: "switchover" });
        expect(s.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
        // No client over TCP without TLS (before the operator's default scram-sha-256 rule; its own rules come first).
        expect(s.postgresql).to.deep.equal({ pg_hba: ["hostnossl all all all reject"] });
        // Our selector labels on the operator's pods: the NetworkPolicies and the PodMonitor select them.
        expect(s.inheritedMetadata).to.deep.equal({ labels: { "app.kubernetes.io/name": "the0", "app.kubernetes.io/instance": "the0", "app.kubernetes.io/component": "postgres", "app.kubernetes.io/part-of": "the0" } });
    });

    it("archives WAL and takes daily base backups to the stack's backup target, with the target's keys, for the retention window", () => {
        const s = unwrap(m.ofType(Cluster)[0].inputs).spec;
        // The cloud profile keeps backups 30 days.
        // Each incarnation of the Cluster archives into a folder of its own (a new Cluster refuses a folder with WAL in it).
        expect(s.backup.barmanObjectStore.serverName).to.match(/^the0-postgres-[0-9a-f]{8}$/);
        const archiveIds = m.ofType("random:index/randomId:RandomId").map((r) => unwrap(r.inputs));
        expect(archiveIds).to.deep.equal([{ byteLength: 4 }]);
        expect(s.backup).to.deep.equal({
            retentionPolicy: "30d",
            barmanObjectStore: {
                serverName: s.backup.barmanObjectStore.serverName,
                destinationPath: "s3://the0-test-backups/test/postgres",
                endpointURL: "https://s3.eu-west-1.amazonaws.com",
                s3Credentials: {
                    accessKeyId: { name: "the0-backup-credentials", key: "access-key" },
                    secretAccessKey: { name: "the0-backup-credentials", key: "secret-key" },
                },
                wal: { compression: "gzip" },
                data: { compression: "gzip" },
            },
        });
        const backups = m.ofType(ScheduledBackup).map((r) => unwrap(r.inputs));
        expect(backups).to.have.length(1);
        expect(backups[0].metadata.name).to.equal("the0-postgres-daily");
        expect(backups[0].spec).to.deep.equal({ schedule: "0 17 2 * * *", cluster: { name: "the0-postgres" }, method: "barmanObjectStore", immediate: true, backupOwnerReference: "self" });
    });

    it("replaces the StatefulSet, its Services, its pg_dump CronJob and its exporter: the operator runs all of it", () => {
        const names = m.resources.map((r) => unwrap(r.inputs)?.metadata?.name).filter((n) => typeof n === "string");
        expect(names).to.not.include.members(["the0-postgres-headless", "the0-backup-postgres"]);
        expect(m.has("kubernetes:apps/v1:StatefulSet", "the0-postgres")).to.equal(false);
        expect(m.has("kubernetes:core/v1:Service", "the0-postgres")).to.equal(false);
        expect(m.has("kubernetes:batch/v1:CronJob", "the0-backup-mongo")).to.equal(true);
    });

    it("gives the0 DATABASE_URL from the operator's Secret (the read-write Service), with TLS required, and no password of ours", () => {
        const api = m.container("kubernetes:apps/v1:Deployment", "the0-api");
        const env = api.env as Array<{ name: string; value?: string; valueFrom?: unknown }>;
        const uri = env.findIndex((e) => e.name === "THE0_POSTGRES_OPERATOR_URI");
        const url = env.findIndex((e) => e.name === "DATABASE_URL");
        expect(env[uri].valueFrom).to.deep.equal({ secretKeyRef: { name: "the0-postgres-app", key: "uri" } });
        expect(env[url].value).to.equal("$(THE0_POSTGRES_OPERATOR_URI)?sslmode=require");
        // The kubelet expands $(VAR) only for variables defined before it.
        expect(uri).to.be.lessThan(url);
        const secret = unwrap(m.object("kubernetes:core/v1:Secret", "the0-secrets").inputs).stringData;
        expect(secret).to.not.have.any.keys("database-url", "postgresql-password");
        expect(m.ofType("random:index/randomPassword:RandomPassword").map((r) => r.name)).to.not.include("the0-secrets-postgresPassword");
    });

    it("starts each PostgreSQL user after the primary accepts connections, from the Cluster's own image, hardened", () => {
        for (const name of ["the0-api"]) {
            const init = m.deployment(name).template.spec.initContainers[0];
            expect(init).to.deep.include({ name: "wait-for-postgres", image: "ghcr.io/cloudnative-pg/postgresql:18.6-system-trixie", command: ["/bin/sh", "-c", WAIT_FOR_POSTGRES_SCRIPT] });
            expect(init.env).to.deep.equal([{ name: "PGHOST", value: "the0-postgres-rw" }, { name: "PGPORT", value: "5432" }]);
            expect(init.securityContext).to.include({ runAsUser: 26, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        }
        // The frontend does not use PostgreSQL.
        expect(m.deployment("the0-frontend").template.spec.initContainers ?? []).to.have.length(0);
    });

    it("opens exactly the Cluster's paths: the0 and the operator in, replicas among themselves, the API and the backup target out", () => {
        const pol = unwrap(m.object(NetworkPolicy, "the0-postgres").inputs).spec;
        expect(pol.podSelector).to.deep.equal({ matchLabels: { "app.kubernetes.io/name": "the0", "app.kubernetes.io/instance": "the0", "app.kubernetes.io/component": "postgres" } });
        const operatorIn = pol.ingress.find((r: any) => r.from[0].namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "cnpg-system");
        expect(operatorIn.from[0].podSelector).to.deep.equal({ matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } });
        expect(operatorIn.ports.map((p: any) => p.port)).to.deep.equal([8000, 5432]);
        const reasons = networkGraph(m.plan).filter((e) => JSON.stringify(e).includes("postgres")).map((e) => e.reason);
        expect(reasons).to.include.members([
            "api uses postgres",
            "the CloudNativePG operator manages its instances",
            "CloudNativePG replicas stream from the primary",
            "CloudNativePG's instance manager talks to the Kubernetes API",
            "PostgreSQL archives WAL and base backups to the backup target",
            "Prometheus scrapes postgres metrics",
        ]);
        const archive = networkGraph(m.plan).find((e) => e.reason.startsWith("PostgreSQL archives"))!;
        expect(archive).to.deep.include({ to: { anywhere: "external" }, ports: [443] });
        expect(networkGraph(m.plan).some((e) => e.reason === "backup and restore of postgres")).to.equal(false);
    });

    it("scrapes each instance's own metrics port and alerts on the Cluster, its replicas, WAL archiving and base backups", () => {
        const pm = unwrap(m.object(PodMonitor, "the0-postgres").inputs).spec;
        expect(pm.selector.matchLabels["app.kubernetes.io/component"]).to.equal("postgres");
        expect(pm.podMetricsEndpoints).to.deep.equal([{ port: "metrics", path: "/metrics", interval: "30s" }]);
        const alerts = alertRules(m.plan).filter((a) => a.alert.startsWith("The0Postgres"));
        expect(alerts.map((a) => a.alert)).to.deep.equal(["The0PostgresDown", "The0PostgresInstancesShort", "The0PostgresReplicationLagging", "The0PostgresWalArchivingFailing", "The0PostgresBaseBackupLate"]);
        expect(alerts[0].expr).to.equal('sum by (namespace) (cnpg_collector_up{namespace="the0", pod=~"the0-postgres-[0-9]+"}) < 1 or absent(cnpg_collector_up{namespace="the0", pod=~"the0-postgres-[0-9]+"})');
        expect(alerts[1].expr).to.equal('sum by (namespace) (cnpg_collector_up{namespace="the0", pod=~"the0-postgres-[0-9]+"}) < 3');
        // The dashboard reads the operator's metric names, not the community exporter's.
        const board = dashboards(m.plan).find((d) => d.uid === "the0-postgres-the0")!;
        const exprs = board.panels.flatMap((p) => p.queries.map((q) => q.expr));
        expect(exprs.every((e) => /\bcnpg_[a-z_]+\{namespace="the0", pod=~"the0-postgres-\[0-9\]\+"\}/.test(e)), exprs.join("\n")).to.equal(true);
        expect(board.panels.map((p) => p.title)).to.include.members(["Replication lag", "Since the last archived WAL segment"]);
        // No exporter sidecar: nothing else serves postgres metrics.
        expect(m.ofType("kubernetes:apps/v1:StatefulSet").some((r) => JSON.stringify(r.inputs).includes("postgres-exporter"))).to.equal(false);
    });

    it("needs CloudNativePG's CRDs before the first up, and names where they come from", () => {
        const kinds = m.plan.customKinds.filter((k) => k.group === "postgresql.cnpg.io");
        expect(kinds.map((k) => `${k.kind}/${k.resource}`)).to.deep.equal(["Cluster/clusters", "ScheduledBackup/scheduledbackups"]);
        expect(kinds[0].source).to.include("cloudnativePg.enabled");
    });

    it("shows the read-write Service as the postgres endpoint", () => {
        expect(m.plan.stores.postgres).to.deep.include({ operated: true, inCluster: false, host: "the0-postgres-rw", port: 5432, fqdn: "the0-postgres-rw.the0.svc.cluster.local" });
    });
});

describe("postgres.mode cloudnative-pg (dev: one instance, backups off)", () => {
    let m: Model;
    before(async () => { m = await build({ postgres: CNPG }); });

    it("runs one instance, restarted in place on updates, without a disruption budget that would block every drain", () => {
        const s = unwrap(m.ofType(Cluster)[0].inputs).spec;
        expect(s.instances).to.equal(1);
        expect(s.enablePDB).to.equal(false);
        expect(s.primaryUpdateMethod).to.equal("restart");
        expect(s.storage).to.deep.equal({ size: "10Gi", storageClass: "standard" });
        expect(s.backup).to.equal(undefined);
        expect(m.ofType(ScheduledBackup)).to.have.length(0);
    });
});

describe("postgres.mode cloudnative-pg (dev: backups into the in-cluster object storage)", () => {
    it("gives the archive a Secret with the object storage's two keys only: the operator lets its instances read it", async () => {
        const m = await build({ postgres: CNPG, backups: obj({ enabled: true }) });
        const s3 = unwrap(m.ofType(Cluster)[0].inputs).spec.backup.barmanObjectStore;
        expect(s3.endpointURL).to.equal("http://the0-minio:9000");
        expect(s3.s3Credentials).to.deep.equal({
            accessKeyId: { name: "the0-postgres-archive", key: "access-key" },
            secretAccessKey: { name: "the0-postgres-archive", key: "secret-key" },
        });
        const archive = unwrap(m.object("kubernetes:core/v1:Secret", "the0-postgres-archive").inputs).stringData;
        const app = unwrap(m.object("kubernetes:core/v1:Secret", "the0-secrets").inputs).stringData;
        expect(archive).to.deep.equal({ "access-key": app["minio-access-key"], "secret-key": app["minio-secret-key"] });
        expect(JSON.stringify(m.ofType(Cluster)[0].inputs)).to.not.include("the0-secrets");
        const refused = problemsOf({ postgres: CNPG, backups: obj({ enabled: true }), existingSecret: "my-the0" });
        expect(refused.find((p) => p.key === `${PROJECT}:backups.target.kind`)?.allowed).to.include("would let PostgreSQL's pods read the whole existingSecret");
    });
});

describe("postgres.mode cloudnative-pg: config", () => {
    it("picks CloudNativePG's image unless the stack sets one, and the operator's namespace from the add-ons", () => {
        const c = resolveConfig({ project: PROJECT, stack: "test", values: { postgres: CNPG }, secretsProvided: [] });
        expect(c.postgres.image).to.equal("ghcr.io/cloudnative-pg/postgresql:18.6-system-trixie");
        expect(c.postgres.cloudnativePg).to.deep.equal({ instances: 1, operatorNamespace: "cnpg-system" });
        const own = resolveConfig({ project: PROJECT, stack: "test", values: { postgres: obj({ mode: "cloudnative-pg", image: "ghcr.io/cloudnative-pg/postgresql:17.6-system-trixie" }) }, secretsProvided: [] });
        expect(own.postgres.image).to.equal("ghcr.io/cloudnative-pg/postgresql:17.6-system-trixie");
        expect(resolveConfig({ project: PROJECT, stack: "test", values: {}, secretsProvided: [] }).postgres.image).to.equal("postgres:15.13-alpine");
    });

    it("refuses what the operator or its images would, every problem at once, and never shows a secret", () => {
        const problems = problemsOf({
            postgres: obj({ mode: "cloudnative-pg", image: "postgres:16-alpine", database: "postgres", user: "streaming_replica", cloudnativePg: { instances: 0, operatorNamespace: "CNPG" } }),
        }, ["postgresPassword", "postgresUrl"]);
        expect(problems.map((p) => `${p.key.replace(`${PROJECT}:`, "")} = ${JSON.stringify(p.value)}`)).to.deep.equal([
            "postgres.image = \"postgres:16-alpine\"",
            "postgres.database = \"postgres\"",
            "postgres.user = \"streaming_replica\"",
            "postgres.cloudnativePg.instances = 0",
            "postgres.cloudnativePg.operatorNamespace = \"CNPG\"",
            "postgresUrl = \"[secret]\"",
            "postgresPassword = \"[secret]\"",
        ]);
        expect(problems[0].allowed).to.include("ghcr.io/cloudnative-pg/postgresql").and.include("uid 26").and.include("barman-cloud");
        expect(problems[5].allowed).to.include("the operator generates the password");
    });

    it("refuses an instanceName whose Cluster name the operator's webhook would refuse (a DNS-1035 label: a letter first)", () => {
        const problems = problemsOf({ instanceName: "1the0", postgres: CNPG });
        expect(problems.map((p) => p.key)).to.deep.equal([`${PROJECT}:instanceName`]);
        expect(problems[0].allowed).to.equal("with postgres.mode cloudnative-pg must start with a letter: the Cluster 1the0-postgres must be a DNS-1035 label");
        expect(problemsOf({ instanceName: "1the0" })).to.deep.equal([]);
        expect(problemsOf({ instanceName: "a".repeat(30), postgres: CNPG })).to.deep.equal([]);
    });

    it("maps the backup schedule to the operator's six fields and the retention to its recovery window", () => {
        expect(cnpgSchedule("17 2 * * *")).to.equal("0 17 2 * * *");
        expect(cnpgSchedule("@daily")).to.equal("@daily");
        // The base-backup alert's patience: twice the longest gap the schedule allows.
        expect(["17 2 * * *", "0 3 * * 0", "0 3 1 * *", "0 * * * *", "@weekly", "@every 6h"].map(scheduleGapSeconds)).to.deep.equal([86400, 7 * 86400, 31 * 86400, 3600, 7 * 86400, 6 * 3600]);
        const c = (retention: object) => resolveConfig({ project: PROJECT, stack: "test", values: cloudValues({ postgres: CNPG, backups: obj({ target: { endpoint: "https://s3.example.com", bucket: "b-x", existingSecret: "s" }, retention }) }), secretsProvided: [] });
        expect(retentionPolicy(c({ count: 14, maxAgeDays: 0 }))).to.equal("14d");
        expect(retentionPolicy(c({ count: 7, maxAgeDays: 30 }))).to.equal("30d");
    });
});

describe("postgres.mode cloudnative-pg: the tools and the pre-deploy check", () => {
    let m: Model;
    before(async () => { m = await build(cloudValues({ postgres: CNPG })); });

    it("npm run restore refuses PostgreSQL and --store all (which would leave PostgreSQL behind the others), and restores the others one by one", () => {
        const text = cnpgRestoreRefusal("prod", "the0-postgres");
        expect(text).to.include("CloudNativePG Cluster the0-postgres").and.include("bootstrap.recovery").and.include("--store mongo");
        expect(() => storesToRestore(m.plan, { stack: "prod", stores: "postgres" })).to.throw(UsageError, text);
        expect(() => storesToRestore(m.plan, { stack: "prod", stores: "all" })).to.throw(UsageError, text);
        expect(storesToRestore(m.plan, { stack: "prod", stores: "mongo" })).to.deep.equal(["mongo"]);
    });

    it("npm run upgrade-store refuses PostgreSQL and says the operator upgrades the major itself", () => {
        const o = { stack: "prod", store: "postgres" as const, to: "ghcr.io/cloudnative-pg/postgresql:19.0-system-trixie", yes: false };
        expect(() => upgradeSteps(m.plan, o, undefined)).to.throw(UsageError, "the operator upgrades the major itself (pg_upgrade in place, offline, to 16 or later)");
    });

    it("refuses to switch modes on existing data, both ways, and lets a first deploy or a matching mode through", async () => {
        expect(postgresModeSwitch(m.plan, { statefulSet: true, cluster: false })[0]).to.include("StatefulSet the0-postgres (or its volume data-the0-postgres-0) holds the0's PostgreSQL data");
        // What is read: the StatefulSet, or the claim a protected destroy kept, and the Cluster.
        const asked: string[] = [];
        const live = (present: string[]) => ({ describe: "fake", listMetadata: async () => undefined, get: async (path: string) => { asked.push(path); return present.includes(path) ? {} : undefined; } });
        const claim = "/api/v1/namespaces/the0/persistentvolumeclaims/data-the0-postgres-0";
        expect(await readPostgresHolders(m.plan, live([claim]))).to.deep.equal({ statefulSet: true, cluster: false });
        expect(await readPostgresHolders(m.plan, live(["/apis/postgresql.cnpg.io/v1/namespaces/the0/clusters/the0-postgres"]))).to.deep.equal({ statefulSet: false, cluster: true });
        expect(asked).to.include.members(["/apis/apps/v1/namespaces/the0/statefulsets/the0-postgres", claim]);
        expect(postgresModeSwitch(m.plan, { statefulSet: false, cluster: true })).to.deep.equal([]);
        expect(postgresModeSwitch(m.plan, { statefulSet: false, cluster: false })).to.deep.equal([]);
        const sts = await build(cloudValues());
        expect(postgresModeSwitch(sts.plan, { statefulSet: false, cluster: true })[0]).to.include("the operator deletes its instances' volumes with it");
        expect(postgresModeSwitch(sts.plan, { statefulSet: true, cluster: false })).to.deep.equal([]);
    });
});
