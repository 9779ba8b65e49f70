// The one typed configuration object the whole program is built from.
// `loadConfig` produces it (validated and frozen); components only ever read it.
import { Profile } from "../model/basics";
import { ObjectKeyValues } from "./schema";
import { SecretConfigKey } from "./secretRegistry";

import {
    BACKUPS_SHAPE,
    APP_SHAPE,
    HA_SHAPE,
    INGRESS_CONTROLLER_KINDS,
    INGRESS_SHAPE,
    Infer,
    MONGO_SHAPE,
    MONITORING_SHAPE,
    NATS_SHAPE,
    NODE_PORTS_SHAPE,
    OBJECT_STORAGE_SHAPE,
    POSTGRES_SHAPE,
    PULL_POLICIES,
    REDIS_SHAPE,
    VOLUME_SHAPE,
} from "./shapes";

// Every object-typed key's type is inferred from its shape in shapes.ts; only the words are named here.
export type PullPolicy = (typeof PULL_POLICIES)[number];
export type IngressControllerKind = (typeof INGRESS_CONTROLLER_KINDS)[number];

export type AppServiceSettings = Infer<typeof APP_SHAPE>;
/** A data service's volume; "" storageClass means the cluster's default StorageClass. */
export type DataVolume = Infer<typeof VOLUME_SHAPE>;
export type PostgresConfig = Infer<typeof POSTGRES_SHAPE>;
export type MongoConfig = Infer<typeof MONGO_SHAPE>;
export type RedisConfig = Infer<typeof REDIS_SHAPE>;
export type ObjectStorageConfig = Infer<typeof OBJECT_STORAGE_SHAPE>;
export type NatsConfig = Infer<typeof NATS_SHAPE>;
export type NodePortsConfig = Infer<typeof NODE_PORTS_SHAPE>;
export type IngressConfig = Infer<typeof INGRESS_SHAPE>;
export type IngressHosts = IngressConfig["hosts"];
export type HighAvailability = Infer<typeof HA_SHAPE>;
export type BackupsConfig = Infer<typeof BACKUPS_SHAPE>;
export type MonitoringConfig = Infer<typeof MONITORING_SHAPE>;

/** The validated config: the object keys as their shapes say (schema.ts), and the scalars resolved. */
export interface PlatformConfig extends ObjectKeyValues {
    project: string;
    stack: string;
    profile: Profile;
    /** The cluster's add-ons stack whose outputs were read as defaults; "" for none. */
    addonsStack: string;
    kubernetes: { context: string; namespace: string };
    /** Prefix of every object name, the0's `<fullname>` (`the0` ⇒ `the0-api`). */
    instanceName: string;
    domain: string;
    version: string;
    imagePullPolicy: PullPolicy;
    botImagePullPolicy: PullPolicy;
    rootAdminEmail: string;
    /** Name of a pre-existing Secret holding the0's keys; "" creates one. */
    existingSecret: string;
    gcSchedule: string;
    /** Default-deny NetworkPolicies with the paths the service catalog declares. */
    networkPolicies: boolean;
    /** Keep data volumes (and the namespace holding them) when the stack is destroyed. */
    protectDataVolumes: boolean;
    /** Which secret config keys carry a value; the values themselves never enter this object. */
    secretsProvided: ReadonlySet<SecretConfigKey>;
}
