// The data tier: each data service in-cluster (a StatefulSet of ours) or external (connection
// details only, carried by the app Secret).
import * as pulumi from "@pulumi/pulumi";
import { DataServiceKey } from "../model/dataServices";
import { PlatformConfig } from "../config/types";
import { isInCluster } from "../endpoints";
import { AppSecrets } from "../secrets";
import { Mongo } from "./mongo";
import { ObjectStorage } from "./objectStorage";
import { Postgres } from "./postgres";
import { Redis } from "./redis";

export class DataTier extends pulumi.ComponentResource {
    readonly postgres?: Postgres;
    readonly mongo?: Mongo;
    readonly redis?: Redis;
    readonly objectStorage?: ObjectStorage;

    constructor(name: string, cfg: PlatformConfig, secrets: AppSecrets, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:DataTier", name, {}, opts);
        const child = { parent: this };
        const ours = (key: DataServiceKey) => isInCluster(cfg, key);
        if (ours("postgres")) this.postgres = new Postgres(`${name}-postgres`, cfg, secrets, child);
        if (ours("mongo")) this.mongo = new Mongo(`${name}-mongo`, cfg, secrets, child);
        if (ours("redis")) this.redis = new Redis(`${name}-redis`, cfg, secrets, child);
        if (ours("objectStorage")) this.objectStorage = new ObjectStorage(`${name}-object-storage`, cfg, secrets, child);
        this.registerOutputs({});
    }

    /**
     * What an app service waits for before it starts: the data service's StatefulSet being Ready
     * (undefined when external). Not the whole component: its Services' endpoint awaits would
     * put their settle time on every app's critical path.
     */
    readinessOf(key: Exclude<DataServiceKey, "nats">): pulumi.Resource | undefined {
        return this[key]?.workload.statefulSet;
    }
}
