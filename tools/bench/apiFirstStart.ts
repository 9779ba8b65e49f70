// What the deploy order is worth when start-up is real: the time from a fresh install's first
// process to the api's first successful start (/health 200), with the real processes (the0's api
// built from its release, PostgreSQL from the toolchain) started with the dev stack's rendering
// (tools/realPods). Two orders:
// - this program's: PostgreSQL's pod Ready (initdb, start, the database created), then the api;
// - the chart's: both at once. the0's api runs its migrations first and exits when PostgreSQL does
//   not answer (api/src/main.ts → database/migrate.ts: process.exit(1)), so the kubelet restarts it
//   after CrashLoopBackOff's delay: 10 s, doubling up to 5 minutes (kubelet's defaults).
// NATS and MinIO start before the clock in both orders: they answer within a second either way, and
// the api does not exit on them. Runs on this machine, outside any cluster: no image pull, no
// scheduling, no probe period; those add the same to both orders.
import { fullName } from "../../components/k8s/meta";
import { Loopback, stopAll } from "../realPods/process";
import { renderStack } from "../realPods/render";
import { startMinio, startNats, startPostgres } from "../realPods/servers";
import { startApi } from "../realPods/the0";

export type StartOrder = "ordered" | "at once";

export interface ApiStart {
    /** From the first process to the api's /health answering 200. */
    ms: number;
    /** The api's starts, the successful one included. */
    attempts: number;
    /** From the first process to PostgreSQL accepting connections with the0's database created. */
    postgresReadyMs: number;
    /** Why each failed start exited: the api's own line about it. */
    crashes: string[];
}

/** The api's line that says why it stopped (the migration's connection error), from its log. */
function crashReason(message: string): string {
    // The most telling first: the connection error under the migration's failure.
    const text = message.replace(/\\"/g, '"'); // the api logs JSON: quotes inside come escaped
    for (const pattern of [/connect ECONNREFUSED/, /database "[^"]+" does not exist/, /password authentication failed/, /Migration failed/, /Failed to start the0 API/]) {
        const found = pattern.exec(text)?.[0];
        if (found) return found;
    }
    return "exited (no reason in its log)";
}

/** The kubelet's restart delay before the api's `n`th start (n ≥ 2): 10 s, doubling, at most 300 s. */
export function crashLoopDelayMs(n: number): number {
    return Math.min(10_000 * 2 ** (n - 2), 300_000);
}

export async function apiFirstStart(order: StartOrder): Promise<ApiStart> {
    const r = await renderStack("dev");
    const lb = new Loopback();
    try {
        await startNats(r, lb);
        await startMinio(r, lb);
        // The runtime's query URL in the api's env, mapped as the0 suite maps it (the api does not call it at start).
        lb.alias(fullName(r.config, "bot-controller"), 9477, 9477);
        // The api's DATABASE_URL names PostgreSQL's Service: its loopback port is fixed before either starts.
        await lb.map(fullName(r.config, "postgres"), 5432);
        const t0 = performance.now();
        let postgresReadyMs = NaN;
        const postgres = startPostgres(r, lb).then(() => { postgresReadyMs = performance.now() - t0; });
        // Awaited below; until then a failure must not surface as an unhandled rejection.
        postgres.catch(() => undefined);
        if (order === "ordered") {
            await postgres;
            await startApi(r, lb);
            return { ms: performance.now() - t0, attempts: 1, postgresReadyMs, crashes: [] };
        }
        const crashes: string[] = [];
        for (let attempt = 1; ; attempt++) {
            if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, crashLoopDelayMs(attempt)));
            try {
                await startApi(r, lb, { podName: `${fullName(r.config, "api")}-${attempt}` });
            } catch (e) {
                // Only an exit is a crash loop; anything else is a broken measurement.
                if (!/exited while waiting/.test((e as Error).message) || attempt >= 6) throw e;
                crashes.push(crashReason((e as Error).message));
                continue;
            }
            const ms = performance.now() - t0;
            await postgres;
            return { ms, attempts: attempt, postgresReadyMs, crashes };
        }
    } finally {
        await stopAll();
    }
}
