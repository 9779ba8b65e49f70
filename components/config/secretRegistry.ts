// Every secret config key (`pulumi config set --secret <key>`), kept as data like the service
// catalog: one row per key says what it is, which Secret keys it fills, whether the program makes it
// when nobody sets it, and what a value must satisfy. The Secret, the schema and Pulumi.yaml, the
// rules, `stack:init`'s list and the docs all come from these rows.
import { SecretKey } from "../model/secretKeys";
import {
    controlCharacterProblems,
    jwtSecretProblems,
    minioAccessKeyProblems,
    minioSecretKeyProblems,
    natsUrlProblems,
    postgresPasswordProblems,
    postgresUrlProblems,
} from "./secretRules";

/** When the program generates a key nobody set (never with existingSecret). */
export type GenerateWhen = "always" | { inCluster: "postgres" | "mongo" | "objectStorage" } | { enabled: "redis" };

/** The keys, in the order of the Secret and of every list of them. */
export const SECRET_CONFIG_KEYS = [
    "postgresPassword",
    "mongoRootPassword",
    "minioAccessKey",
    "minioSecretKey",
    "jwtSecret",
    "rootAdminPassword",
    "redisPassword",
    "postgresUrl",
    "mongoUrl",
    "natsUrl",
    "backupAccessKey",
    "backupSecretKey",
] as const;
export type SecretConfigKey = (typeof SECRET_CONFIG_KEYS)[number];

export interface SecretConfigSpec {
    key: SecretConfigKey;
    description: string;
    /** Where the value goes: keys of the app Secret, or of the backup target's own Secret. */
    fills: { appSecret: readonly SecretKey[] } | { backupTargetSecret: "access-key" | "secret-key" };
    /** Made with @pulumi/random (letters and digits, this long) when the stack needs it and nobody set it. */
    generated?: { length: number; when: GenerateWhen };
    /** What the servers and the0 accept of a value; every message is worded without it. */
    rules: (value: string) => string[];
}

export const SECRET_CONFIG_REGISTRY: Readonly<Record<SecretConfigKey, SecretConfigSpec>> = {
    postgresPassword: {
        key: "postgresPassword",
        description: "Password of the in-cluster PostgreSQL user (or of external.user). Generated when empty.",
        fills: { appSecret: ["postgresql-password", "database-url"] },
        generated: { length: 32, when: { inCluster: "postgres" } },
        rules: postgresPasswordProblems,
    },
    mongoRootPassword: {
        key: "mongoRootPassword",
        description: "MongoDB root password (or of external.user). Generated when empty.",
        fills: { appSecret: ["mongodb-root-password", "mongo-url"] },
        generated: { length: 32, when: { inCluster: "mongo" } },
        rules: controlCharacterProblems,
    },
    minioAccessKey: {
        key: "minioAccessKey",
        description: "Object storage access key: the in-cluster MinIO's (generated when empty), or the external store's (required: nothing here can make it).",
        fills: { appSecret: ["minio-access-key"] },
        generated: { length: 20, when: { inCluster: "objectStorage" } },
        rules: minioAccessKeyProblems,
    },
    minioSecretKey: {
        key: "minioSecretKey",
        description: "Object storage secret key: the in-cluster MinIO's (generated when empty), or the external store's (required: nothing here can make it).",
        fills: { appSecret: ["minio-secret-key"] },
        generated: { length: 40, when: { inCluster: "objectStorage" } },
        rules: minioSecretKeyProblems,
    },
    jwtSecret: {
        key: "jwtSecret",
        description: "JWT signing secret shared by api and frontend, at least 32 bytes (HS256, RFC 7518 §3.2). Generated when empty.",
        fills: { appSecret: ["jwt-secret"] },
        generated: { length: 48, when: "always" },
        rules: jwtSecretProblems,
    },
    rootAdminPassword: {
        key: "rootAdminPassword",
        description: "THE0_ADMIN_PASSWORD (at least 6 characters). Generated when empty.",
        fills: { appSecret: ["admin-password"] },
        generated: { length: 24, when: "always" },
        rules: controlCharacterProblems,
    },
    redisPassword: {
        key: "redisPassword",
        description: "Redis password when redis is enabled. Generated when empty.",
        fills: { appSecret: ["redis-password", "redis-url"] },
        generated: { length: 32, when: { enabled: "redis" } },
        rules: controlCharacterProblems,
    },
    postgresUrl: {
        key: "postgresUrl",
        description: "External PostgreSQL connection string, used verbatim as database-url.",
        fills: { appSecret: ["database-url"] },
        rules: postgresUrlProblems,
    },
    mongoUrl: {
        key: "mongoUrl",
        description: "External MongoDB connection string, used verbatim as mongo-url.",
        fills: { appSecret: ["mongo-url"] },
        rules: controlCharacterProblems,
    },
    natsUrl: {
        key: "natsUrl",
        description: "External NATS URL(s), comma-separated nats://host:port without credentials (the0's api cannot send them); JetStream must be enabled there.",
        fills: { appSecret: ["nats-url"] },
        rules: natsUrlProblems,
    },
    backupAccessKey: {
        key: "backupAccessKey",
        description: "Access key of the backup target (backups.target.kind s3), unless backups.target.existingSecret is set.",
        fills: { backupTargetSecret: "access-key" },
        rules: controlCharacterProblems,
    },
    backupSecretKey: {
        key: "backupSecretKey",
        description: "Secret key of the backup target (backups.target.kind s3), unless backups.target.existingSecret is set.",
        fills: { backupTargetSecret: "secret-key" },
        rules: controlCharacterProblems,
    },
};

/** Every row, in the keys' order. */
export function secretSpecs(): SecretConfigSpec[] {
    return SECRET_CONFIG_KEYS.map((k) => SECRET_CONFIG_REGISTRY[k]);
}

/** Rules a secret value breaks, for the servers or the0 to accept it (worded without the value). */
export function secretValueProblems(key: SecretConfigKey, value: string): string[] {
    return SECRET_CONFIG_REGISTRY[key].rules(value);
}
