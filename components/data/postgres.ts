// PostgreSQL (official alpine image, uid 70) as a StatefulSet; the0's database `the0_oss`. The
// image applies POSTGRES_PASSWORD only when it initialises an empty data directory; a postStart
// hook applies it on every start, so a rotated password reaches a database that already exists.
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../model/ports";
import { execProbe } from "../k8s/workload";
import { exporterSidecar } from "./exporters";
import { appSecretEnv } from "../k8s/secretRefs";
import { DataServiceArgs } from "./stateful";
import { StatefulService, statefulService } from "./stateful";

/**
 * Sets POSTGRES_USER's password to POSTGRES_PASSWORD over the local socket (trusted in the official
 * image) with psql's own quoting (`:'password'`, `:"role"`); idempotent. It waits for the server on
 * TCP, which the entrypoint's init-time server does not open, so a first start is never interrupted
 * mid-initdb; it fails (and the kubelet restarts the container) only when the server is up and the
 * password cannot be set, and gives up quietly after ten minutes without a server (the probes judge that).
 */
export const APPLY_PASSWORD = [
    "for attempt in $(seq 1 300); do",
    "  if pg_isready -q -h 127.0.0.1 -U \"$POSTGRES_USER\" -d postgres; then",
    "    for try in 1 2 3 4 5; do",
    "      if psql -v ON_ERROR_STOP=1 -q -d postgres -U \"$POSTGRES_USER\" -v role=\"$POSTGRES_USER\" -v password=\"$POSTGRES_PASSWORD\" >/dev/null 2>&1 <<'SQL'",
    "ALTER ROLE :\"role\" PASSWORD :'password';",
    "SQL",
    "      then exit 0; fi",
    "      sleep 1",
    "    done",
    "    echo \"postStart: could not set the password of role $POSTGRES_USER over the local socket\" >&2",
    "    exit 1",
    "  fi",
    "  sleep 2",
    "done",
    "echo \"postStart: no server on TCP after 10 minutes; password not applied\" >&2",
].join("\n");

export class Postgres extends pulumi.ComponentResource {
    readonly workload: StatefulService;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:Postgres", name, {}, opts);
        const { plan, secrets } = args;
        const cfg = plan.config;
        const pg = cfg.postgres;
        const ready = ["/bin/sh", "-c", `pg_isready -h 127.0.0.1 -U '${pg.user}' -d '${pg.database}'`];
        this.workload = statefulService(this, cfg, {
            component: "postgres",
            replicas: 1,
            dataMountPath: "/var/lib/postgresql/data",
            storage: pg,
            ports: [{ name: "postgres", port: PORTS.postgres }],
            sidecars: exporterSidecar(plan, "postgres", { uid: 70, gid: 70, fsGroup: 70 }),
            // Rolls when the Secret is written, and the hook below applies the new password.
            annotations: secrets.rollOnWrite(["postgresql-password"]),
            container: {
                name: "postgres",
                image: pg.image,
                pullPolicy: cfg.imagePullPolicy,
                env: [
                    { name: "POSTGRES_DB", value: pg.database },
                    { name: "POSTGRES_USER", value: pg.user },
                    appSecretEnv(cfg, "POSTGRES_PASSWORD", "postgresql-password"),
                    // A subdirectory keeps initdb away from the volume root (lost+found).
                    { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                ],
                ports: [{ name: "postgres", containerPort: PORTS.postgres }],
                probes: { liveness: execProbe(ready, 30, 10, 5), readiness: execProbe(ready, 5, 5, 3) },
                // The container is not Running (so not Ready, and the api waits) until this succeeds.
                lifecycle: { postStart: { exec: { command: ["/bin/sh", "-c", APPLY_PASSWORD] } } },
                resources: pg.resources,
                user: { uid: 70, gid: 70, fsGroup: 70 },
                writablePaths: ["/var/run/postgresql", "/tmp"],
            },
        });
        this.registerOutputs({ service: this.workload.service.metadata.name });
    }
}
