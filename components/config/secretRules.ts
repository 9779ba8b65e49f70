// Rules for secret config values, one function per concern (the registry, secretRegistry.ts, says which
// key each applies to). They see the value only to test it: every message is worded without it, and the
// resolver reports it as "[secret]".
import { isDnsSubdomain } from "./validate";

/** A value carried in an env var and a URL: a newline or control character cannot survive that. */
export function controlCharacterProblems(value: string): string[] {
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u001f\u007f]/.test(value) ? ["must not contain control characters or line breaks"] : [];
}

/** HS256 keys shorter than the hash are refused by RFC 7518 §3.2; the0's api and frontend sign and check sessions with this one. */
export const MIN_JWT_SECRET_BYTES = 32;

/** The JWT signing secret: at least 256 bits, and carried in an env var. */
export function jwtSecretProblems(value: string): string[] {
    const problems = controlCharacterProblems(value);
    if (Buffer.byteLength(value, "utf8") < MIN_JWT_SECRET_BYTES) {
        problems.push(`must be at least ${MIN_JWT_SECRET_BYTES} bytes: the0 signs sessions with HS256, whose key RFC 7518 §3.2 requires to be at least 256 bits (for example \`openssl rand -base64 48\`), or unset it to have one generated`);
    }
    return problems;
}

/**
 * the0's api reads DATABASE_URL with WHATWG `new URL()` and hands `url.password` to postgres.js
 * as it is, still percent-encoded (api/src/config/database.config.ts). A password survives only
 * if encoding it changes nothing.
 */
export function postgresPasswordProblems(password: string): string[] {
    const problems = controlCharacterProblems(password);
    if (problems.length === 0 && new URL(`postgresql://u:${encodeURIComponent(password)}@h/d`).password !== password) {
        problems.push("may contain only letters, digits and - _ . ! ~ * ' ( ): the0's api passes the password from DATABASE_URL to PostgreSQL still percent-encoded, so any other character fails authentication");
    }
    return problems;
}

/** An external DATABASE_URL as the0's api reads it (see postgresPasswordProblems). */
export function postgresUrlProblems(value: string): string[] {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return ["must be a postgresql://user:password@host:port/database URL"];
    }
    if (!["postgres:", "postgresql:"].includes(url.protocol) || url.hostname === "" || url.pathname.length < 2) {
        return ["must be a postgresql://user:password@host:port/database URL"];
    }
    if (/%[0-9a-f]{2}/i.test(url.username + url.password)) {
        return ["must not percent-encode its user or password: the0's api hands them to PostgreSQL undecoded; use a password of letters, digits and - _ . ! ~ * ' ( )"];
    }
    return [];
}

/**
 * MinIO refuses a root user shorter than 3 characters (internal/auth: IsAccessKeyValid). The key
 * also travels in every request's Authorization header, where the0's minio-js refuses non-ASCII
 * and MinIO's parser splits on `,` and `=`.
 */
export function minioAccessKeyProblems(value: string): string[] {
    const problems = controlCharacterProblems(value);
    if (value.length < 3) problems.push("must be at least 3 characters: MinIO refuses a shorter MINIO_ROOT_USER");
    if (/[^\x00-\x7f]/.test(value)) problems.push("must be ASCII: it is sent in the Authorization header of every request, and the0's minio-js refuses other characters there");
    if (/[,=]/.test(value)) problems.push("must not contain , or =: MinIO splits the Authorization header on them and refuses the request");
    return problems;
}

/** MinIO refuses a root password shorter than 8 characters (internal/auth: IsSecretKeyValid). */
export function minioSecretKeyProblems(value: string): string[] {
    const problems = controlCharacterProblems(value);
    if (value.length < 8) problems.push("must be at least 8 characters: MinIO refuses a shorter MINIO_ROOT_PASSWORD");
    return problems;
}

/**
 * Problems with an external NATS server list as the0 reads it: the api splits NATS_URLS on ","
 * and hands each entry to nats.js, the runtime gives NATS_URL to nats.go. Messages never echo
 * the value (it is a secret).
 */
export function natsUrlProblems(list: string): string[] {
    const problems = new Set<string>();
    for (const entry of list.split(",")) {
        const m = /^(nats|tls):\/\/([^/?#]*)$/.exec(entry);
        if (!m) {
            problems.add("must be nats://host:port URLs separated by commas, without spaces, path or query");
            continue;
        }
        const authority = m[2];
        if (authority.includes("@")) {
            problems.add("must not carry credentials (user:password@ or token@): the0's api connects with nats.js and sends none, so it stops at start-up; give the0 a NATS account without client auth, reachable only from its namespace");
            continue;
        }
        const hp = /^([^:]+)(?::(\d+))?$/.exec(authority);
        const port = hp?.[2] === undefined ? 4222 : Number(hp[2]);
        if (!hp || !(isDnsSubdomain(hp[1]) || isIPv4(hp[1])) || port < 1 || port > 65535) {
            problems.add("must be nats://host:port URLs separated by commas, without spaces, path or query");
        }
    }
    return [...problems];
}

function isIPv4(v: string): boolean {
    const parts = v.split(".");
    return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
