// With postgres.mode cloudnative-pg the database is a Cluster the operator brings up (initdb Job,
// then the primary): Pulumi cannot wait for it as it waits for our StatefulSet, and the0's api exits
// when its migrations cannot reach the database (the kubelet then backs off, up to minutes). So each
// service that uses PostgreSQL waits in an init container until the read-write Service accepts
// connections: the primary is then up, and initdb has made the0's database and role.
import { ContainerArgs } from "../k8s/workload";
import { PlatformConfig } from "../config/types";
import { res } from "../model/basics";
import { PostgresClusterPlan, CNPG_PORTS } from "../plan/postgresCluster";

/** CloudNativePG's PostgreSQL images run as the postgres user, uid and gid 26. */
export const CNPG_POSTGRES_USER = { uid: 26, gid: 26, fsGroup: 26 } as const;

export const WAIT_FOR_POSTGRES_SCRIPT = [
    'until pg_isready -q -h "$PGHOST" -p "$PGPORT"; do',
    '  echo "waiting for $PGHOST:$PGPORT (the CloudNativePG primary)"',
    "  sleep 2",
    "done",
].join("\n");

export function waitForPostgresContainer(cfg: PlatformConfig, cluster: PostgresClusterPlan): ContainerArgs {
    return {
        name: "wait-for-postgres",
        // The Cluster's own image: pg_isready is in it, and the nodes running instances already have it.
        image: cfg.postgres.image,
        pullPolicy: cfg.imagePullPolicy,
        command: ["/bin/sh", "-c", WAIT_FOR_POSTGRES_SCRIPT],
        env: [
            { name: "PGHOST", value: cluster.rwService },
            { name: "PGPORT", value: String(CNPG_PORTS.postgres) },
        ],
        resources: res("10m", "16Mi", "100m", "64Mi"),
        user: CNPG_POSTGRES_USER,
    };
}
