// Optional Redis (official alpine image, uid 999) with a password and append-only persistence.
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../model/ports";
import { execProbe } from "../k8s/workload";
import { appSecretEnv } from "../k8s/secretRefs";
import { DataServiceArgs } from "./stateful";
import { StatefulService, statefulService } from "./stateful";

export class Redis extends pulumi.ComponentResource {
    readonly workload: StatefulService;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:Redis", name, {}, opts);
        const { plan, secrets } = args;
        const cfg = plan.config;
        const rd = cfg.redis;
        // REDISCLI_AUTH keeps the password off the probe's command line.
        const ping = ["/bin/sh", "-c", "redis-cli -h 127.0.0.1 ping | grep -q PONG"];
        this.workload = statefulService(this, cfg, {
            component: "redis",
            replicas: 1,
            dataMountPath: "/data",
            storage: rd,
            ports: [{ name: "redis", port: PORTS.redis }],
            annotations: secrets.rollOnWrite(["redis-password"]),
            container: {
                name: "redis",
                image: rd.image,
                pullPolicy: cfg.imagePullPolicy,
                command: ["/bin/sh", "-c", 'exec redis-server --appendonly yes --dir /data --requirepass "$REDIS_PASSWORD"'],
                env: [
                    appSecretEnv(cfg, "REDIS_PASSWORD", "redis-password"),
                    appSecretEnv(cfg, "REDISCLI_AUTH", "redis-password"),
                ],
                ports: [{ name: "redis", containerPort: PORTS.redis }],
                probes: { liveness: execProbe(ping, 20, 10, 5), readiness: execProbe(ping, 5, 5, 3) },
                resources: rd.resources,
                user: { uid: 999, gid: 1000, fsGroup: 1000 },
                writablePaths: ["/tmp"],
            },
        });
        this.registerOutputs({ service: this.workload.service.metadata.name });
    }
}
