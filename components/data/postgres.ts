// PostgreSQL (official alpine image, uid 70) as a StatefulSet; the0's database `the0_oss`.
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../model/ports";
import { execProbe } from "../k8s/workload";
import { DataServiceArgs } from "./stateful";
import { StatefulService, statefulService } from "./stateful";

export class Postgres extends pulumi.ComponentResource {
    readonly workload: StatefulService;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:Postgres", name, {}, opts);
        const { config: cfg, secrets } = args;
        const pg = cfg.postgres;
        const ready = ["/bin/sh", "-c", `pg_isready -h 127.0.0.1 -U '${pg.user}' -d '${pg.database}'`];
        this.workload = statefulService(this, cfg, {
            component: "postgres",
            replicas: 1,
            dataMountPath: "/var/lib/postgresql/data",
            storage: pg,
            ports: [{ name: "postgres", port: PORTS.postgres }],
            // No roll on a Secret write: the server reads its password only when it initialises an
            // empty data directory, and its probes do not log in.
            container: {
                name: "postgres",
                image: pg.image,
                pullPolicy: cfg.imagePullPolicy,
                env: [
                    { name: "POSTGRES_DB", value: pg.database },
                    { name: "POSTGRES_USER", value: pg.user },
                    secrets.env("POSTGRES_PASSWORD", "postgresql-password"),
                    // A subdirectory keeps initdb away from the volume root (lost+found).
                    { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                ],
                ports: [{ name: "postgres", containerPort: PORTS.postgres }],
                probes: { liveness: execProbe(ready, 30, 10, 5), readiness: execProbe(ready, 5, 5, 3) },
                resources: pg.resources,
                user: { uid: 70, gid: 70, fsGroup: 70 },
                writablePaths: ["/var/run/postgresql", "/tmp"],
            },
        });
        this.registerOutputs({ service: this.workload.service.metadata.name });
    }
}
