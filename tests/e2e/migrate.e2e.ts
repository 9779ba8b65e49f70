// `npm run migrate:from-helm` end to end on the local control plane: the0's chart installed with Helm,
// then the command reads the release (dry run), migrates it with --yes (config, pulumi up beside it,
// the release's writers stopped, dump and restore Jobs, the smoke Job), resumes a run from its
// record, refuses what would lose data, rolls back, and finishes (volumes kept, release uninstalled).
// kwok runs no container: the Jobs complete without doing anything and the smoke Job prints nothing,
// so step 5 fails here by design (exit 4); the copy itself is proven with real servers and the0's api
// in tests/the0/migration.the0.ts.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parse } from "yaml";
import { kubectl, kubectlJson, removeScratch, ROOT } from "../../tools/localStack/localStack";
import { PROJECT } from "../../tools/render/stackFiles";
import { peerChartDir } from "../../tools/toolchain/peers";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";

const CHART_NAMESPACE = "the0-chart";
const NEXT_NAMESPACE = `${CHART_NAMESPACE}-next`;
const STACK = "migrated";
const LOG = process.env.THE0_E2E_LOG ?? join(tmpdir(), "the0-e2e-dev.log");
const MIGRATED_LABEL = `the0.app/migrated-from=${CHART_NAMESPACE}`;

interface Items<T> { items: T[] }
interface Named { metadata: { name: string; labels?: Record<string, string> } }

describe("end-to-end: npm run migrate:from-helm moves a Helm install of the0 into a new stack", function () {
    this.timeout(20 * 60 * 1000);
    let workDir: string;
    let env: NodeJS.ProcessEnv;
    const helm = (...args: string[]) => execFileSync(toolchainBin("helm"), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const pulumi = (...args: string[]) => execFileSync("pulumi", [...args, "--stack", STACK], { cwd: workDir, env, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
    const migrate = (...args: string[]) => {
        const r = spawnSync("bash", [join(ROOT, "scripts", "migrate-from-helm.sh"), "--release", "the0", "--namespace", CHART_NAMESPACE, ...args], { cwd: workDir, env, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
        appendFileSync(LOG, `$ migrate-from-helm ${args.join(" ")}\n${r.stdout}\n${r.stderr}\n`);
        return { ...r, all: `${r.stdout}\n${r.stderr}` };
    };
    const stackFile = () => parse(readFileSync(join(workDir, `Pulumi.${STACK}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const chartSecret = (): Record<string, string> => {
        const data = kubectlJson<{ data: Record<string, string> }>("get", "secret", "the0-secrets", "-n", CHART_NAMESPACE).data;
        return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    };
    const replicas = (deployment: string) => kubectlJson<{ spec: { replicas: number } }>("get", "deployment", deployment, "-n", CHART_NAMESPACE).spec.replicas;
    const suspended = (cronJob: string) => kubectlJson<{ spec: { suspend?: boolean } }>("get", "cronjob", cronJob, "-n", CHART_NAMESPACE).spec.suspend === true;
    const record = () => {
        const out = kubectl("get", "configmap", "the0-migration", "-n", CHART_NAMESPACE, "-o", "json", "--ignore-not-found").trim();
        return out === "" ? undefined : JSON.parse((JSON.parse(out) as { data: Record<string, string> }).data["record.json"]) as Record<string, unknown>;
    };
    const stackJobs = () => kubectlJson<Items<Named & { status: { succeeded?: number } }>>("get", "jobs", "-n", NEXT_NAMESPACE).items;

    before(() => {
        helm("install", "the0", peerChartDir(), "-n", CHART_NAMESPACE, "--create-namespace",
            "--set", "the0Api.env.JWT_SECRET=the-chart-install-signs-sessions-with-this-0123456789",
            "--set", "the0Api.env.THE0_ADMIN_EMAIL=admin@the0.local", "--set", "the0Api.env.THE0_ADMIN_PASSWORD=chart-admin-password",
            "--set", "the0Api.replicas=2", "--set", "ingress.enabled=false");
        workDir = mkdtempSync(join(tmpdir(), "the0-migrate-"));
        for (const f of ["Pulumi.yaml", "main.js", "index.ts", "package.json", "tsconfig.json", "components"]) cpSync(join(ROOT, f), join(workDir, f), { recursive: true });
        symlinkSync(join(ROOT, "node_modules"), join(workDir, "node_modules"));
        mkdirSync(join(workDir, ".state"));
        env = { ...process.env, THE0_PROJECT_DIR: workDir, PULUMI_BACKEND_URL: `file://${join(workDir, ".state")}`, PULUMI_CONFIG_PASSPHRASE: "the0-migrate", PULUMI_SKIP_UPDATE_CHECK: "true" };
        execFileSync("pulumi", ["stack", "init", STACK, "--secrets-provider", "passphrase"], { cwd: workDir, env, encoding: "utf8" });
        // The chart's claims are bound before the test starts (kwok's volume stage), as on a cluster that ran it.
        kubectl("wait", "pvc", "--all", "-n", CHART_NAMESPACE, "--for=jsonpath={.status.phase}=Bound", "--timeout=120s");
    });

    after(() => {
        try {
            spawnSync("pulumi", ["destroy", "--yes", "--skip-preview", "--stack", STACK], { cwd: workDir, env, encoding: "utf8" });
            spawnSync(toolchainBin("helm"), ["uninstall", "other", "-n", CHART_NAMESPACE]);
            spawnSync(toolchainBin("helm"), ["uninstall", "the0", "-n", CHART_NAMESPACE, "--wait"]);
        } finally {
            kubectl("delete", "namespace", CHART_NAMESPACE, NEXT_NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=5m");
            kubectl("delete", "pv", "-l", MIGRATED_LABEL, "--ignore-not-found");
            removeScratch(workDir);
        }
    });

    it("a dry run prints the config, where each secret comes from and the steps, and writes nothing", () => {
        const r = migrate("--stack", STACK);
        expect(r.status, r.all).to.equal(0);
        expect(r.stdout).to.include(`stack ${STACK}: the0 from release the0 (namespace ${CHART_NAMESPACE}), deployed beside it into namespace ${NEXT_NAMESPACE}`);
        expect(r.stdout).to.include("  config apps.api.replicas = 2");
        expect(r.stdout).to.include("  secret postgresPassword: from Secret the0-secrets, key postgresql-password");
        expect(r.stdout).to.include("  3. stop the release's writers");
        // The chart's default NodePorts are this program's too, and a node port is held cluster-wide.
        expect(r.stdout).to.include("  note: node ports api 30000, frontend 30001, minio 30002, minioConsole 30003, docs 30004 are held by the cluster (the release's Services) until --finish: the stack takes 30100, 30101, 30102, 30103, 30104");
        expect(r.stdout).to.include("dry run: nothing written");
        for (const value of Object.values(chartSecret())) expect(r.stdout).to.not.include(value);
        expect(stackFile().config).to.equal(undefined);
        expect(record()).to.equal(undefined);
    });

    it("--yes: the config written, the stack deployed beside the release, the release's writers stopped, the stores dumped and restored; the smoke Job's silence on kwok stops it at step 5 (exit 4)", () => {
        const r = migrate("--stack", STACK, "--yes");
        expect(r.status, r.all).to.equal(4);
        for (const line of [
            `migrate-from-helm: 1. wrote the config of stack ${STACK}`,
            `migrate-from-helm: 2. stack ${STACK} deployed in namespace ${NEXT_NAMESPACE}`,
            "migrate-from-helm: 3. the release's writers stopped: the0-api, the0-bot-controller, cronjob the0-gc",
            "migrate-from-helm: 4. postgres: job the0-migrate-postgres dumps the release's postgres into ",
            "migrate-from-helm: 4. mongo: job the0-migrate-mongo dumps the release's mongo into ",
            "migrate-from-helm: 4. objectStorage: job the0-migrate-minio dumps the release's objectStorage into ",
            "restore: postgres: done", "restore: mongo: done", "restore: objectStorage: done",
            "migrate-from-helm:    the0 was down for ",
            "no result from the smoke Job",
        ]) expect(r.all, line).to.include(line);
        expect(r.stderr).to.include("5. the smoke check failed on the new install: the data is copied, the release is stopped and untouched");

        // The credentials the chart runs with are the stack's secrets.
        const secret = chartSecret();
        const get = (key: string) => pulumi("config", "get", `${PROJECT}:${key}`).trim();
        expect(get("postgresPassword")).to.equal(secret["postgresql-password"]);
        expect(get("mongoRootPassword")).to.equal(secret["mongodb-root-password"]);
        expect(get("minioAccessKey")).to.equal(secret["minio-access-key"]);
        expect(get("minioSecretKey")).to.equal(secret["minio-secret-key"]);
        expect(get("jwtSecret")).to.equal(secret["jwt-secret"]);
        expect(get("rootAdminPassword")).to.equal("chart-admin-password");
        expect(get("namespace")).to.equal(NEXT_NAMESPACE);
        const nodePort = (svc: string, ns: string) => kubectlJson<{ spec: { ports: Array<{ nodePort: number }> } }>("get", "service", svc, "-n", ns).spec.ports[0].nodePort;
        expect([nodePort("the0-api-external", CHART_NAMESPACE), nodePort("the0-api-external", NEXT_NAMESPACE)]).to.deep.equal([30000, 30100]);
        const config = JSON.parse(pulumi("config", "--json")) as Record<string, { secret: boolean }>;
        for (const key of ["postgresPassword", "jwtSecret", "rootAdminPassword"]) expect(config[`${PROJECT}:${key}`].secret, key).to.equal(true);

        // The release: stopped, not changed otherwise.
        expect([replicas("the0-api"), replicas("the0-bot-controller")]).to.deep.equal([0, 0]);
        expect(suspended("the0-gc")).to.equal(true);
        expect(replicas("the0-postgres")).to.equal(1);
        const rec = record()!;
        expect(rec.stack).to.equal(STACK);
        expect(rec.writers).to.deep.equal({ deployments: { "the0-api": 2, "the0-bot-controller": 1 }, cronJobs: ["the0-gc"], botPods: [] });
        expect(Object.keys(rec.dumped as object).sort()).to.deep.equal(["mongo", "objectStorage", "postgres"]);
        expect(rec.restoredAt).to.be.a("string");
        expect(rec.smokePassedAt).to.equal(undefined);

        // The stack: its own objects beside the release, its writers started again, the migration's temporary access gone.
        const apps = kubectlJson<Items<Named & { spec: { replicas: number } }>>("get", "deployments", "-n", NEXT_NAMESPACE).items;
        expect(apps.find((d) => d.metadata.name === "the0-api")?.spec.replicas).to.equal(2);
        expect(apps.find((d) => d.metadata.name === "the0-api")?.metadata.labels?.["app.kubernetes.io/managed-by"]).to.equal("pulumi");
        const jobs = stackJobs();
        for (const name of ["the0-migrate-postgres", "the0-migrate-mongo", "the0-migrate-minio"]) {
            expect(jobs.find((j) => j.metadata.name === name)?.status.succeeded, name).to.equal(1);
        }
        expect(kubectl("get", "secret,networkpolicy", "the0-migration-source", "-n", NEXT_NAMESPACE, "--ignore-not-found").trim()).to.equal("");
    });

    it("run again, it resumes at step 5: no second deploy, stop or copy", () => {
        const dumps = stackJobs().filter((j) => j.metadata.name.startsWith("the0-migrate-")).map((j) => `${j.metadata.name}@${JSON.stringify(j.status)}`);
        const r = migrate("--stack", STACK, "--yes");
        expect(r.status, r.all).to.equal(4);
        expect(r.stdout).to.include(`migrate-from-helm: resuming the migration to stack ${STACK} begun at `);
        expect(r.stdout).to.not.include("Updating (");
        expect(r.stdout).to.not.include("dumps the release's");
        expect(r.stdout).to.not.include("restore: postgres: job");
        expect(stackJobs().filter((j) => j.metadata.name.startsWith("the0-migrate-")).map((j) => `${j.metadata.name}@${JSON.stringify(j.status)}`)).to.deep.equal(dumps);
    });

    it("the dry run reports the recorded migration; a migration of the same release to another stack is refused (exit 3)", () => {
        expect(migrate("--stack", STACK).stdout).to.include(`a migration to stack ${STACK} is recorded: data copied`);
        const r = migrate("--stack", "elsewhere", "--yes");
        expect(r.status, r.all).to.equal(3);
        expect(r.stderr).to.include(`release the0 is being migrated to stack ${STACK} (ConfigMap the0-migration in ${CHART_NAMESPACE}): finish or roll back that one first`);
    });

    it("--rollback --yes starts exactly what was stopped again; a new migration into the deployed stack is refused (exit 3)", () => {
        const r = migrate("--stack", STACK, "--rollback", "--yes");
        expect(r.status, r.all).to.equal(0);
        expect(r.stdout).to.include("rolled back: the release's writers run again (the0-api: 2, the0-bot-controller: 1)");
        expect([replicas("the0-api"), replicas("the0-bot-controller")]).to.deep.equal([2, 1]);
        expect(suspended("the0-gc")).to.equal(false);
        expect(record()).to.equal(undefined);
        const again = migrate("--stack", STACK, "--yes");
        expect(again.status, again.all).to.equal(3);
        expect(again.stderr).to.match(new RegExp(`stack ${STACK} already holds \\d+ resources: a migration writes the config of a stack that has not been deployed`));
        expect([replicas("the0-api"), replicas("the0-bot-controller")]).to.deep.equal([2, 1]);
    });

    it("into an emptied stack, --yes then --finish --yes: the release's volumes set to Retain and kept, the release uninstalled, the record gone", () => {
        pulumi("destroy", "--yes", "--skip-preview");
        expect(migrate("--stack", STACK, "--yes").status).to.equal(4);
        const claims = kubectlJson<Items<Named & { spec: { volumeName: string } }>>("get", "pvc", "-n", CHART_NAMESPACE, "-l", "app.kubernetes.io/instance=the0").items;
        expect(claims.map((c) => c.metadata.name).sort()).to.deep.equal(["the0-minio-pvc", "the0-mongo-pvc", "the0-nats-pvc", "the0-postgres-pvc"]);
        const dry = migrate("--stack", STACK, "--finish");
        expect(dry.stdout).to.include("dry run: --finish keeps the release's volumes and uninstalls it");
        expect(helm("list", "-n", CHART_NAMESPACE, "-q")).to.include("the0");

        const r = migrate("--stack", STACK, "--finish", "--yes");
        expect(r.status, r.all).to.equal(0);
        expect(r.stdout).to.include("warning: the smoke check has not passed on the new install");
        expect(r.stdout).to.include(`release the0 uninstalled from ${CHART_NAMESPACE}; its data stays on 4 volumes`);
        expect(helm("list", "-n", CHART_NAMESPACE, "-q").trim()).to.equal("");
        expect(kubectl("get", "pvc", "-n", CHART_NAMESPACE, "-o", "name").trim()).to.equal("");
        const kept = kubectlJson<Items<Named & { spec: { persistentVolumeReclaimPolicy: string } }>>("get", "pv", "-l", MIGRATED_LABEL).items;
        expect(kept.map((v) => v.metadata.name).sort()).to.deep.equal(claims.map((c) => c.spec.volumeName).sort());
        for (const v of kept) expect(v.spec.persistentVolumeReclaimPolicy, v.metadata.name).to.equal("Retain");
        expect(record()).to.equal(undefined);
        // The new install is untouched by the finish.
        expect(kubectl("get", "deployment", "the0-api", "-n", NEXT_NAMESPACE, "-o", "name").trim()).to.equal("deployment.apps/the0-api");
    });

    it("a release of another chart is refused (exit 3), and nothing is written", () => {
        const chartDir = mkdtempSync(join(tmpdir(), "the0-other-chart-"));
        helm("create", join(chartDir, "other"));
        helm("install", "other", join(chartDir, "other"), "-n", CHART_NAMESPACE);
        const before = readFileSync(join(workDir, `Pulumi.${STACK}.yaml`), "utf8");
        const r = spawnSync("bash", [join(ROOT, "scripts", "migrate-from-helm.sh"), "--release", "other", "--namespace", CHART_NAMESPACE, "--stack", STACK, "--yes"], { cwd: workDir, env, encoding: "utf8" });
        expect(r.status).to.equal(3);
        expect(r.stderr).to.include(`release other in ${CHART_NAMESPACE} is chart other-0.1.0, not the0's chart (the0-<version>): nothing to migrate`);
        expect(readFileSync(join(workDir, `Pulumi.${STACK}.yaml`), "utf8")).to.equal(before);
        removeScratch(chartDir);
    });
});
