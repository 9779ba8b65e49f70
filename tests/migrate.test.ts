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
import { describePlan, parseArgs, planMigration, RefusedError, UsageError } from "../tools/commands/migrateFromHelm";
import { CHART_VALUE_ROWS, chartFullName, ChartValues, leaves, rowFor, Translation, translateChartValues } from "../tools/migrate/chartValues";
import { PROJECT } from "../tools/render/render";
import { peerChartDir } from "../tools/toolchain/peers";

const CHART = peerChartDir();
const chartFile = (name: string) => parse(readFileSync(join(CHART, name), "utf8")) as ChartValues;

/** Dot-path config -> the stack's values as the CLI hands them over (objects as JSON, per top-level key). */
function stackValues(t: Translation): Record<string, string> {
    const nested: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(t.config)) {
        const keys = path.split(".");
        let node = nested;
        for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
        node[keys[keys.length - 1]] = value;
    }
    return Object.fromEntries(Object.entries(nested).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]));
}

/** The problems validation reports for a translation (none when it is valid). */
function problemsOf(t: Translation): string[] {
    try {
        resolveConfig({ project: PROJECT, stack: "migrated", values: stackValues(t), secretsProvided: Object.keys(t.secrets) });
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
        expect(o).to.deep.equal({ release: "prod", namespace: "the0", stack: "production", toNamespace: "the0-next", context: "", yes: false });
        expect(() => parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "s", "--to-namespace", "the0"])).to.throw(UsageError, "--to-namespace must differ from --namespace");
        expect(() => parseArgs(["--release", "prod"])).to.throw(UsageError, "usage: npm run migrate:from-helm");
        expect(() => parseArgs(["--release", "prod", "--namespace", "the0", "--stack", "s", "--force"])).to.throw(UsageError, "unknown argument --force");
    });

    it("the credentials the release runs with become the stack's secrets; its names and a new namespace the config", () => {
        const plan = planMigration(o, { chart: "the0-0.9.1", values: { the0Api: { replicas: 3 } }, secret: chartSecret, adminPassword: "the-admin-password" });
        expect(plan.config).to.deep.equal({ "apps.api.replicas": 3, namespace: "the0-next", instanceName: "prod-the0" });
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

    it("a release of another chart is refused", () => {
        expect(() => planMigration(o, { chart: "redis-19.0.1", values: {} })).to.throw(RefusedError, "release prod in the0 is chart redis-19.0.1, not the0's chart (the0-<version>): nothing to migrate");
    });

    it("the chart's full name: an override, the release when it holds the chart's name, else <release>-the0", () => {
        expect(chartFullName("the0", {})).to.equal("the0");
        expect(chartFullName("prod", {})).to.equal("prod-the0");
        expect(chartFullName("prod", { fullnameOverride: "trading" })).to.equal("trading");
    });
});
