// The post-deploy check (`npm run smoke`), as the program's smoke Job runs it: Node and the0's own
// client libraries of the api image (nats, minio in /app/node_modules), so each line proves the seam
// the way the0 uses it. The function is type-checked here and shipped as its source text
// (`smokeCheckSource`); it must stay self-contained (no imports, only require at run time).
//
// Env: API_URL, THE0_ADMIN_EMAIL, THE0_ADMIN_PASSWORD, NATS_URLS, MINIO_ENDPOINT, MINIO_PORT,
// MINIO_USE_SSL, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, SMOKE_STREAMS, SMOKE_BUCKETS,
// BOT_CONTROLLER_URL, SMOKE_TIMEOUT_SECONDS. Prints one line per check; exits 1 when any fails.

/** The names of the checks, in the order they print (the deployment doc's runbook follows them). */
export const SMOKE_CHECKS = ["api ready", "admin login", "jetstream streams", "buckets", "bot-controller ready"] as const;

export async function smokeCheck(): Promise<void> {
    const env = process.env;
    const timeoutMs = Number(env.SMOKE_TIMEOUT_SECONDS ?? "10") * 1000;
    const results: Array<{ name: string; ok: boolean; detail: string }> = [];
    const withTimeout = <T>(p: Promise<T>): Promise<T> =>
        Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs))]);
    const check = async (name: string, run: () => Promise<string>) => {
        try {
            results.push({ name, ok: true, detail: await withTimeout(run()) });
        } catch (e) {
            results.push({ name, ok: false, detail: (e as Error).message });
        }
        const r = results[results.length - 1];
        // One line per check, whatever the error text holds.
        console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(20)} ${r.detail.replace(/\s+/g, " ").trim()}`);
    };
    const fetchJson = async (url: string, init?: RequestInit) => {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        const text = await res.text();
        let body: any = text;
        try {
            body = JSON.parse(text);
        } catch {
            /* not JSON */
        }
        return { status: res.status, body };
    };

    await check("api ready", async () => {
        const { status, body } = await fetchJson(`${env.API_URL}/health/ready`);
        const checks = Object.entries((body?.checks ?? {}) as Record<string, { status: string; error?: string }>);
        const down = checks.filter(([, c]) => c.status !== "up").map(([k, c]) => `${k} ${c.status}${c.error ? ` (${c.error})` : ""}`);
        if (status !== 200 || down.length > 0) throw new Error(`GET /health/ready answered ${status}${down.length ? `: ${down.join(", ")}` : ""}`);
        return `GET /health/ready 200, ${checks.map(([k]) => k).join(", ")} up`;
    });
    await check("admin login", async () => {
        const { status, body } = await fetchJson(`${env.API_URL}/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email: env.THE0_ADMIN_EMAIL, password: env.THE0_ADMIN_PASSWORD }),
        });
        if (status !== 201 || !body?.data?.token) throw new Error(`POST /auth/login as ${env.THE0_ADMIN_EMAIL} answered ${status}${body?.message ? `: ${body.message}` : ""}`);
        return `${env.THE0_ADMIN_EMAIL} signed in (${body.data.user?.role ?? "no role"})`;
    });
    await check("jetstream streams", async () => {
        const { connect } = require("nats");
        const nc = await connect({ servers: (env.NATS_URLS ?? "").split(","), timeout: timeoutMs });
        try {
            const jsm = await nc.jetstreamManager();
            const have: string[] = (await jsm.streams.list().next()).map((s: { config: { name: string } }) => s.config.name);
            const missing = (env.SMOKE_STREAMS ?? "").split(",").filter((s) => !have.includes(s));
            if (missing.length > 0) throw new Error(`missing ${missing.join(", ")} (the api creates them at start)`);
            return have.sort().join(", ");
        } finally {
            await nc.close();
        }
    });
    await check("buckets", async () => {
        const Minio = require("minio");
        const client = new Minio.Client({
            endPoint: env.MINIO_ENDPOINT,
            port: Number(env.MINIO_PORT),
            useSSL: env.MINIO_USE_SSL === "true",
            accessKey: env.MINIO_ACCESS_KEY,
            secretKey: env.MINIO_SECRET_KEY,
        });
        const wanted = (env.SMOKE_BUCKETS ?? "").split(",");
        const missing: string[] = [];
        for (const bucket of wanted) if (!(await client.bucketExists(bucket))) missing.push(bucket);
        if (missing.length > 0) throw new Error(`missing ${missing.join(", ")} (the api creates them at start)`);
        return wanted.join(", ");
    });
    await check("bot-controller ready", async () => {
        const { status, body } = await fetchJson(`${env.BOT_CONTROLLER_URL}/health`);
        if (status !== 200 || body?.status !== "ok") throw new Error(`GET ${env.BOT_CONTROLLER_URL}/health answered ${status}`);
        return "query server answers /health";
    });

    const failed = results.filter((r) => !r.ok).length;
    console.log(failed === 0 ? `smoke: all ${results.length} checks passed` : `smoke: ${failed} of ${results.length} checks failed`);
    // A client still retrying a dead endpoint would keep Node alive; the verdict is in.
    process.exit(failed === 0 ? 0 : 1);
}

/** The check as a script for `node -e` (the api image's Node). */
export function smokeCheckSource(): string {
    return `(${smokeCheck.toString()})().catch((e) => { console.log("FAIL smoke " + e.message); process.exit(1); });`;
}
