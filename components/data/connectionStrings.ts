// Connection strings the0's processes read (database-url, mongo-url, redis-url), built from plain
// values so that the contract suite can feed the same builder to the0's own URL parsers.

/** Percent-encodes URL userinfo (the0's encodeUserinfo covers a subset of these characters). */
export function encodeUserinfo(v: string): string {
    return encodeURIComponent(v);
}

export interface PostgresUrlParts {
    user: string;
    password: string;
    host: string;
    port: number;
    database: string;
    sslmode: string;
}

/** DATABASE_URL for the0's api. */
export function postgresUrl(p: PostgresUrlParts): string {
    return `postgresql://${encodeUserinfo(p.user)}:${encodeUserinfo(p.password)}@${p.host}:${p.port}/${p.database}?sslmode=${p.sslmode}`;
}

export interface MongoUrlParts {
    user: string;
    password: string;
    host: string;
    port: number;
    /** Database path and options for an external server; the in-cluster root user needs neither. */
    database?: string;
    authSource?: string;
    options?: string;
}

/** MONGO_URI for the0's runtime. */
export function mongoUrl(p: MongoUrlParts): string {
    const base = `mongodb://${encodeUserinfo(p.user)}:${encodeUserinfo(p.password)}@${p.host}:${p.port}`;
    if (p.database === undefined) return base;
    return `${base}/${p.database}?authSource=${p.authSource ?? "admin"}${p.options ? `&${p.options}` : ""}`;
}

/** REDIS_URL (password only, as Redis' default user). */
export function redisUrl(password: string, host: string, port: number): string {
    return `redis://:${encodeUserinfo(password)}@${host}:${port}`;
}
