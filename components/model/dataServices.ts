// The data-service registry, kept as data like the app catalog: what each data service is called,
// where its clients connect, and which Secret keys it owns. Whether a service runs in the cluster
// or outside is the stack's choice: the deployment plan places it (components/plan/endpoints.ts).
import { PORTS } from "./ports";
import { SecretKey } from "./secretKeys";

export const DATA_SERVICES = ["postgres", "mongo", "redis", "objectStorage", "nats"] as const;
export type DataServiceKey = (typeof DATA_SERVICES)[number];

export interface DataServiceSpec {
    key: DataServiceKey;
    /** app.kubernetes.io/component and the name suffix of its objects: <fn>-<component>. */
    component: string;
    /** The port its clients use. */
    clientPort: number;
    /** Secret keys holding its own credentials (not the connection strings built from them). */
    secretKeys: readonly SecretKey[];
}

export const DATA_SERVICE_REGISTRY: Readonly<Record<DataServiceKey, DataServiceSpec>> = {
    postgres: { key: "postgres", component: "postgres", clientPort: PORTS.postgres, secretKeys: ["postgresql-password"] },
    mongo: { key: "mongo", component: "mongo", clientPort: PORTS.mongo, secretKeys: ["mongodb-root-password"] },
    redis: { key: "redis", component: "redis", clientPort: PORTS.redis, secretKeys: ["redis-password"] },
    objectStorage: { key: "objectStorage", component: "minio", clientPort: PORTS.minioApi, secretKeys: ["minio-access-key", "minio-secret-key"] },
    nats: { key: "nats", component: "nats", clientPort: PORTS.natsClient, secretKeys: [] },
};
