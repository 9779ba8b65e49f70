// MongoDB (official image, uid 999) as a StatefulSet; the0's root user and `bot_runner` database.
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../model/ports";
import { execProbe } from "../k8s/workload";
import { DataServiceArgs } from "./stateful";
import { StatefulService, statefulService } from "./stateful";

export class Mongo extends pulumi.ComponentResource {
    readonly workload: StatefulService;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:Mongo", name, {}, opts);
        const { config: cfg, secrets } = args;
        const mg = cfg.mongo;
        const ping = ["mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"];
        this.workload = statefulService(this, cfg, {
            component: "mongo",
            replicas: 1,
            dataMountPath: "/data/db",
            storage: mg,
            ports: [{ name: "mongo", port: PORTS.mongo }],
            // No roll on a Secret write: the server reads its password only when it initialises an
            // empty data directory, and its probes do not log in.
            container: {
                name: "mongo",
                image: mg.image,
                pullPolicy: cfg.imagePullPolicy,
                env: [
                    { name: "MONGO_INITDB_ROOT_USERNAME", value: mg.rootUser },
                    secrets.env("MONGO_INITDB_ROOT_PASSWORD", "mongodb-root-password"),
                    { name: "MONGO_INITDB_DATABASE", value: mg.database },
                ],
                ports: [{ name: "mongo", containerPort: PORTS.mongo }],
                probes: { liveness: execProbe(ping, 30, 10, 5), readiness: execProbe(ping, 5, 5, 3) },
                resources: mg.resources,
                user: { uid: 999, gid: 999, fsGroup: 999 },
                writablePaths: ["/data/configdb", "/tmp"],
            },
        });
        this.registerOutputs({ service: this.workload.service.metadata.name });
    }
}
