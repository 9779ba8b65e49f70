// The client side of the0's api start-up (api/src at v1.14.0), reduced to its client calls and
// using the libraries at the versions api/yarn.lock pins: nats 2.29.3, postgres 3.4.7, minio 8.0.5.
// Each function reads the same environment variables, parses them the same way, and makes the
// same calls; where the0's code is quoted, the file is named.
import * as Minio from "minio";
import { connect, JetStreamManager, NatsConnection, RetentionPolicy, StorageType, StreamConfig } from "nats";
import postgres from "postgres";

export type Env = Record<string, string | undefined>;

/** api/src/nats/nats.service.ts: connect, then THE0_EVENTS (fatal) and THE0_BOT_LOGS (warned). */
export async function apiNats(env: Env): Promise<{ nc: NatsConnection; jsm: JetStreamManager; streams: string[] }> {
    const servers = env.NATS_URLS?.split(",") || ["nats://localhost:4222"];
    const nc = await connect({ servers, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
    const jsm = await nc.jetstreamManager();
    const ensure = async (config: Partial<StreamConfig> & { name: string }) => {
        try {
            await jsm.streams.add(config);
        } catch (err) {
            const e = err as { api_error?: { err_code?: number }; message?: string };
            if (!(e.api_error?.err_code === 10058 || e.message?.includes("stream name already in use"))) throw err;
            await jsm.streams.update(config.name, config);
        }
    };
    await ensure({
        name: "THE0_EVENTS",
        subjects: ["the0.bot.created", "the0.bot.updated", "the0.bot.deleted", "the0.bot-schedule.created", "the0.bot-schedule.updated", "the0.bot-schedule.deleted"],
        retention: RetentionPolicy.Limits,
        max_age: 7 * 24 * 60 * 60 * 1000 * 1000000,
        storage: StorageType.File,
    });
    // Non-fatal in the0, but a real loss (no live logs): the suite treats a failure as one.
    await ensure({
        name: "THE0_BOT_LOGS",
        subjects: ["the0.bot.logs.>"],
        retention: RetentionPolicy.Limits,
        max_age: 60 * 60 * 1000 * 1000000,
        max_bytes: 128 * 1024 * 1024,
        storage: StorageType.Memory,
    });
    const streams = (await jsm.streams.list().next()).map((s) => s.config.name).sort();
    return { nc, jsm, streams };
}

/** api/src/config/database.config.ts `loadConfig`, PostgreSQL branch (fields as the0 derives them). */
export function apiDatabaseConfig(env: Env) {
    const databaseUrl = env.DATABASE_URL;
    const databaseType = (env.DATABASE_TYPE as "postgresql" | "sqlite") || "sqlite";
    if (databaseType === "sqlite") throw new Error(`DATABASE_TYPE ${env.DATABASE_TYPE ?? "(unset)"} selects SQLite, not PostgreSQL`);
    if (!databaseUrl) throw new Error("DATABASE_URL is empty");
    const url = new URL(databaseUrl);
    const positive = (key: string, fallback: number) => {
        const raw = env[key];
        if (raw === undefined || raw.trim() === "") return fallback;
        const parsed = Number(raw);
        if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${key} must be an integer >= 1`);
        return parsed;
    };
    return {
        url: databaseUrl,
        host: url.hostname,
        port: parseInt(url.port) || 5432,
        // WHATWG URL leaves these percent-encoded; the0 passes them on as they are.
        username: url.username,
        password: url.password,
        database: url.pathname.slice(1),
        pool: {
            max: positive("DB_POOL_MAX", 10),
            idleTimeout: positive("DB_POOL_IDLE_TIMEOUT", 20),
            connectTimeout: positive("DB_POOL_CONNECT_TIMEOUT", 10),
            maxLifetime: positive("DB_POOL_MAX_LIFETIME", 1800),
        },
    };
}

/** api/src/database/connection.ts: postgres(config.url, {host, port, username, password, ...}). */
export function apiPostgres(env: Env): postgres.Sql {
    const config = apiDatabaseConfig(env);
    return postgres(config.url, {
        host: config.host,
        port: config.port,
        username: config.username,
        password: config.password,
        database: config.database,
        max: config.pool.max,
        idle_timeout: config.pool.idleTimeout,
        connect_timeout: config.pool.connectTimeout,
        max_lifetime: config.pool.maxLifetime,
        onnotice: () => undefined,
    });
}

/** api/src/minio/minio.provider.ts. */
export function apiMinio(env: Env): Minio.Client {
    const endpoint = env.MINIO_ENDPOINT;
    const accessKey = env.MINIO_ACCESS_KEY;
    const secretKey = env.MINIO_SECRET_KEY;
    if (!endpoint) throw new Error("MINIO_ENDPOINT is required but not configured");
    if (!accessKey) throw new Error("MINIO_ACCESS_KEY is required but not configured");
    if (!secretKey) throw new Error("MINIO_SECRET_KEY is required but not configured");
    const portStr = env.MINIO_PORT || "9000";
    const port = parseInt(portStr, 10);
    if (isNaN(port)) throw new Error(`MINIO_PORT must be a valid number, got: ${portStr}`);
    const sslValue = env.MINIO_USE_SSL?.toLowerCase();
    const useSSL = sslValue === "true" || sslValue === "1";
    return new Minio.Client({ endPoint: endpoint, port, useSSL, accessKey, secretKey });
}
