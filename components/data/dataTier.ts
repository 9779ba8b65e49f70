// The data tier: each data service in-cluster (a StatefulSet of ours) or external (connection
// details only, carried by the app Secret); PostgreSQL also as a CloudNativePG Cluster.
import * as pulumi from "@pulumi/pulumi";
import { DataServiceKey } from "../model/dataServices";
import { DataServiceArgs } from "./stateful";
import { Mongo } from "./mongo";
import { ObjectStorage } from "./objectStorage";
import { Postgres } from "./postgres";
import { PostgresCluster } from "./postgresCluster";
import { Redis } from "./redis";

export class DataTier extends pulumi.ComponentResource {
    readonly postgres?: Postgres;
    readonly postgresCluster?: PostgresCluster;
    readonly mongo?: Mongo;
    readonly redis?: Redis;
    readonly objectStorage?: ObjectStorage;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:DataTier", name, {}, opts);
        const child = { parent: this };
        const ours = (key: DataServiceKey) => args.plan.inClusterStores.includes(key);
        if (ours("postgres")) this.postgres = new Postgres(`${name}-postgres`, args, child);
        const pgc = args.plan.postgresCluster;
        if (pgc) this.postgresCluster = new PostgresCluster(`${name}-postgres-cluster`, { plan: args.plan, postgresCluster: pgc }, child);
        if (ours("mongo")) this.mongo = new Mongo(`${name}-mongo`, args, child);
        if (ours("redis")) this.redis = new Redis(`${name}-redis`, args, child);
        if (ours("objectStorage")) this.objectStorage = new ObjectStorage(`${name}-object-storage`, args, child);
        this.registerOutputs({});
    }

    /**
     * What an app service waits for before it starts: the data service's StatefulSet being Ready
     * (undefined when external). Not the whole component: its Services' endpoint awaits would
     * put their settle time on every app's critical path.
     */
    readinessOf(key: Exclude<DataServiceKey, "nats">): pulumi.Resource | undefined {
        // A Cluster is created before its users (they read its Secret); they wait for its primary themselves (app/postgresWait.ts).
        if (key === "postgres" && this.postgresCluster) return this.postgresCluster.cluster;
        return this[key]?.workload.statefulSet;
    }
}
