// Generated values through the paths where a value meets a parser, each leg saying what it reaches:
// - database-url: 1,000 passwords, each set on a real PostgreSQL and used through the0's api code;
// - mongo-url: 1,000 users and passwords read back by the runtime's mongo-driver URI parser (no server:
//   mongod is not available here; the contract suite's FerretDB checks the generated password elsewhere);
// - MinIO: 1,000 keys against the validation's length rules, and 12 pairs (6 generated, 6 risky or
//   refused) as root keys of real MinIO servers, used by the0's minio-js and minio-go;
// - nats.conf: 1,000 generated instance names, namespaces and sizes parsed by `nats-server -t` (no
//   server started, and no secret: the0 1.14's NATS runs without client auth).
// For every value, the program's validation and the consumer must agree: what validation accepts works,
// what it refuses would have failed. The PRNG is seeded (THE0_FUZZ_SEED), so a failure can be replayed.
import { expect } from "chai";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import postgres from "postgres";
import { minioAccessKeyProblems, minioSecretKeyProblems, postgresPasswordProblems } from "../../components/config/secretRules";
import { mongoUrl, postgresUrl } from "../../components/data/connectionStrings";
import { natsServerConfig } from "../../components/data/nats/natsCluster";
import { resolvePlan } from "../../components/plan/plan";
import { apiDatabaseConfig, apiMinio } from "./the0-api";
import { forPodUser, freePort, Loopback, run, SCRATCH, start, stopAll, waitFor, httpStatus } from "../../tools/realPods/process";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { renderStack, RenderedStack } from "../../tools/realPods/render";
import { RunningPod, startPostgres } from "../../tools/realPods/servers";

const SEED = Number(process.env.THE0_FUZZ_SEED ?? 20261123);
const COUNT = 1000;

/** mulberry32: small, seeded, good enough to spread over the alphabets. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const URL_SAFE = `${ALNUM}-_.!~*'()`;
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const WIDE = `${PRINTABLE}éß€中文🔑`;

/** Secrets as people and generators make them: @pulumi/random's alphabet, URL-safe specials, any printable, non-ASCII. */
function secrets(seed: number, count: number, minLength = 1): string[] {
    const rnd = prng(seed);
    const alphabets = [ALNUM, URL_SAFE, PRINTABLE, WIDE];
    return Array.from({ length: count }, (_, i) => {
        const alphabet = [...alphabets[i % alphabets.length]];
        const length = minLength + Math.floor(rnd() * 40);
        return Array.from({ length }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join("");
    });
}

describe(`contract: generated secrets and names through the0's parsers and real servers (seed ${SEED})`, function () {
    this.timeout(600_000);
    after(stopAll);

    describe("database-url: validation, the0's api parsing and PostgreSQL agree", () => {
        let r: RenderedStack;
        let pg: RunningPod;
        let admin: postgres.Sql;
        const lb = new Loopback();

        before(async () => {
            r = await renderStack("dev");
            pg = await startPostgres(r, lb);
            const { POSTGRES_USER, POSTGRES_PASSWORD } = pg.container.env;
            admin = postgres({ host: "127.0.0.1", port: pg.ports.get(5432)!, username: POSTGRES_USER, password: POSTGRES_PASSWORD, database: "postgres", max: 1, onnotice: () => undefined });
            await admin`create role fuzz login`;
        });

        after(async () => { await admin?.end(); });

        it(`each of ${COUNT} passwords, set on a real PostgreSQL: validation accepts it exactly when the0's api code authenticates with it`, async () => {
            const port = pg.ports.get(5432)!;
            let accepted = 0;
            const disagreements: string[] = [];
            for (const password of secrets(SEED, COUNT)) {
                const refused = postgresPasswordProblems(password).length > 0;
                // Control characters never reach a URL the program builds (refused before); the rest do.
                if (/[\u0000-\u001f\u007f]/.test(password)) continue;
                await admin.unsafe(`alter role fuzz password ${quoteLiteral(password)}`);
                const url = postgresUrl({ user: "fuzz", password, host: "127.0.0.1", port, database: "postgres", sslmode: "disable" });
                const config = apiDatabaseConfig({ DATABASE_TYPE: "postgres", DATABASE_URL: url });
                const sql = postgres(config.url, { host: config.host, port: config.port, username: config.username, password: config.password, database: config.database, max: 1, connect_timeout: 5, onnotice: () => undefined });
                let works = true;
                try {
                    await sql`select 1`;
                } catch {
                    works = false;
                } finally {
                    await sql.end({ timeout: 1 });
                }
                if (works === refused) disagreements.push(`${JSON.stringify(password)}: validation ${refused ? "refuses" : "accepts"}, the0's api ${works ? "connects" : "fails"}`);
                if (!refused) accepted++;
            }
            expect(disagreements.slice(0, 10)).to.deep.equal([]);
            expect(accepted, "accepted passwords exercised").to.be.greaterThan(COUNT / 3);
        });
    });

    it(`mongo-url: the runtime's mongo-driver URI parser reads back each of ${COUNT} users and passwords the program encodes (parser only)`, () => {
        const passwords = secrets(SEED + 1, COUNT).filter((p) => !/[\u0000-\u001f\u007f]/.test(p));
        const users = secrets(SEED + 2, passwords.length).map((u) => u.replace(/[\u0000-\u001f\u007f]/g, "x"));
        const urls = passwords.map((password, i) => mongoUrl({ user: users[i], password, host: "the0-mongo", port: 27017 }));
        const parsed = run(toolchainBin("the0-runtime-client"), ["parse-mongo"], {}, urls.join("\n") + "\n").trim().split("\n").map((l) => JSON.parse(l));
        expect(parsed).to.have.length(passwords.length);
        const wrong = parsed.map((p, i) => (p.error || p.user !== users[i] || p.password !== passwords[i] ? `${JSON.stringify(passwords[i])}: ${p.error ?? "read back differently"}` : "")).filter((x) => x);
        expect(wrong.slice(0, 10)).to.deep.equal([]);
        expect(passwords.length).to.be.at.least(COUNT * 0.95);
    });

    it(`MinIO keys: ${COUNT} keys against the length rules, and 12 pairs as root keys of real MinIO servers with the0's minio-js and minio-go`, async () => {
        const keys = secrets(SEED + 3, COUNT);
        for (const k of keys) {
            expect(minioAccessKeyProblems(k).some((p) => p.includes("at least 3")), k).to.equal(k.length < 3);
            expect(minioSecretKeyProblems(k).some((p) => p.includes("at least 8")), k).to.equal(k.length < 8);
        }
        // MinIO reads root keys once at start: a sample of generated pairs, the characters that look risky,
        // and each kind of refused key, for real.
        const generated = keys.filter((k) => k.length >= 8 && minioAccessKeyProblems(k).length === 0 && minioSecretKeyProblems(k).length === 0).slice(0, 6);
        const cases = [
            ...generated.map((k, i) => ({ access: k, secret: generated[(i + 1) % generated.length] })),
            { access: "ab/cd/efgh", secret: "secret/with spaces€" },
            { access: "a b c%41 \"'", secret: "=,;:&?#+" },
            { access: "ab", secret: "long-enough-secret" },
            { access: "abc", secret: "seven77" },
            { access: "a,b=c,d", secret: "long-enough-secret" },
            { access: "k€y-abcd", secret: "long-enough-secret" },
        ];
        expect(cases, "the pairs the title promises").to.have.length(12);
        const disagreements: string[] = [];
        for (const [i, c] of cases.entries()) {
            const refused = minioAccessKeyProblems(c.access).length + minioSecretKeyProblems(c.secret).length > 0;
            const port = await freePort();
            const dir = join(SCRATCH, "fuzz-minio", String(i));
            const p = start(`fuzz-minio-${i}`, forPodUser(toolchainBin("minio")), ["server", dir, "--address", `127.0.0.1:${port}`, "--console-address", `127.0.0.1:${await freePort()}`],
                { MINIO_ROOT_USER: c.access, MINIO_ROOT_PASSWORD: c.secret, HOME: dir });
            let works = false;
            try {
                await waitFor("MinIO ready", async () => (await httpStatus(port, "/minio/health/ready")) === 200, 30_000, p);
                const env = { MINIO_ENDPOINT: "127.0.0.1", MINIO_PORT: String(port), MINIO_USE_SSL: "false", MINIO_ACCESS_KEY: c.access, MINIO_SECRET_KEY: c.secret };
                await apiMinio(env).makeBucket("custom-bots");
                const out = run(toolchainBin("the0-runtime-client"), ["minio"], { ...env, MINIO_ENDPOINT: `127.0.0.1:${port}`, MINIO_BUCKET: "custom-bots" });
                works = (JSON.parse(out) as { bucketExists: boolean }).bucketExists;
            } catch {
                works = false;
            } finally {
                await p.stop();
            }
            if (works === refused) disagreements.push(`${JSON.stringify(c)}: validation ${refused ? "refuses" : "accepts"}, MinIO and the0's clients ${works ? "work" : "fail"}`);
        }
        expect(disagreements).to.deep.equal([]);
    });

    it(`nats.conf: nats-server -t accepts what the program renders for ${COUNT} generated instance names, namespaces and sizes (no secret in it)`, async () => {
        const rnd = prng(SEED + 4);
        const r = await renderStack("staging");
        const label = () => {
            const chars = "abcdefghijklmnopqrstuvwxyz0123456789-";
            const n = 1 + Math.floor(rnd() * 20);
            let s = Array.from({ length: n }, () => chars[Math.floor(rnd() * chars.length)]).join("");
            s = s.replace(/^-+|-+$/g, "") || "a";
            return s;
        };
        const dir = join(SCRATCH, "fuzz-nats");
        mkdirSync(dir, { recursive: true });
        const refused: string[] = [];
        for (let i = 0; i < COUNT; i++) {
            const cfg = {
                ...r.config,
                instanceName: label().slice(0, 30),
                kubernetes: { ...r.config.kubernetes, namespace: label() },
                nats: { ...r.config.nats, replicas: [1, 3, 5][i % 3], storageSize: `${1 + Math.floor(rnd() * 500)}Gi`, memoryStoreSize: `${128 + Math.floor(rnd() * 4000)}Mi` },
            };
            const file = join(dir, "nats.conf");
            writeFileSync(file, natsServerConfig(resolvePlan(cfg)));
            try {
                // As the container runs it: --config <file> --server_name <pod name>.
                run(toolchainBin("nats-server"), ["-t", "-c", file, "--server_name", `${cfg.instanceName}-nats-0`]);
            } catch (e) {
                refused.push(`${cfg.instanceName}/${cfg.kubernetes.namespace}: ${(e as Error).message.split("\n")[0]}`);
            }
        }
        expect(refused.slice(0, 5)).to.deep.equal([]);
    });
});

/** A PostgreSQL string literal (standard_conforming_strings on). */
function quoteLiteral(s: string): string {
    return `'${s.replace(/'/g, "''")}'`;
}
