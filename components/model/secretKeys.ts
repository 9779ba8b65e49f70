// The app Secret's keys: the0's own names (its chart's Secret), plus the ones this program adds.

/** Keys of the app Secret (the0's names, plus nats-url, admin-password and redis-url). */
export const SECRET_KEYS = [
    "postgresql-password",
    "mongodb-root-password",
    "minio-access-key",
    "minio-secret-key",
    "database-url",
    "mongo-url",
    "jwt-secret",
    "admin-password",
    "nats-url",
    "redis-password",
    "redis-url",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];
