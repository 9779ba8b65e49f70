// MongoDB (official image, uid 999) as a StatefulSet; the0's root user and `bot_runner` database. The
// image creates the root user only when it initialises an empty data directory; an init container sets
// its password from the Secret on every start, so a rotated password reaches a database that exists.
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../model/ports";
import { execProbe } from "../k8s/workload";
import { exporterSidecar } from "./exporters";
import { appSecretEnv } from "../k8s/secretRefs";
import { DataServiceArgs } from "./stateful";
import { StatefulService, statefulService } from "./stateful";

/** A port of its own for the password step's server, which listens on 127.0.0.1 only and is gone before the real one starts. */
const APPLY_PORT = 27099;

/**
 * MongoDB's own way to set a password without the old one: start the server on the existing data
 * without access control, reachable only from inside the pod (127.0.0.1), change the root user's
 * password, shut it down. Only on an initialised data directory (a first start is the entrypoint's
 * job), and idempotent. If it cannot, it says so and lets the server start as before (with the
 * password it has): a failed rotation must not take the database down.
 */
export const APPLY_ROOT_PASSWORD = [
    "if [ ! -f /data/db/WiredTiger ]; then echo \"apply-password: new data directory; the entrypoint creates the root user\"; exit 0; fi",
    `if ! mongod --dbpath /data/db --bind_ip 127.0.0.1 --port ${APPLY_PORT} --noauth --fork --logpath /tmp/apply-password.log >/dev/null; then`,
    "  echo \"apply-password: could not start the server without access control; the password is unchanged\" >&2",
    "  cat /tmp/apply-password.log >&2 || true",
    "  exit 0",
    "fi",
    `if mongosh --quiet --port ${APPLY_PORT} admin --eval 'db.changeUserPassword(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD)' >/tmp/apply-password.out 2>&1; then`,
    "  echo \"apply-password: the password of $MONGO_INITDB_ROOT_USERNAME is the Secret's\"",
    "else",
    "  echo \"apply-password: could not set the password of $MONGO_INITDB_ROOT_USERNAME; it is unchanged\" >&2",
    "  cat /tmp/apply-password.out >&2 || true",
    "fi",
    "mongod --dbpath /data/db --shutdown >/dev/null || true",
].join("\n");

export class Mongo extends pulumi.ComponentResource {
    readonly workload: StatefulService;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:Mongo", name, {}, opts);
        const { plan, secrets } = args;
        const cfg = plan.config;
        const mg = cfg.mongo;
        const ping = ["mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"];
        this.workload = statefulService(this, cfg, {
            component: "mongo",
            replicas: 1,
            dataMountPath: "/data/db",
            storage: mg,
            ports: [{ name: "mongo", port: PORTS.mongo }],
            sidecars: exporterSidecar(plan, "mongo", { uid: 999, gid: 999, fsGroup: 999 }),
            // Rolls when the Secret is written, and the init container applies the new password.
            annotations: secrets.rollOnWrite(["mongodb-root-password"]),
            initContainers: [{
                name: "apply-password",
                image: mg.image,
                pullPolicy: cfg.imagePullPolicy,
                command: ["/bin/sh", "-c", APPLY_ROOT_PASSWORD],
                env: [
                    { name: "MONGO_INITDB_ROOT_USERNAME", value: mg.rootUser },
                    appSecretEnv(cfg, "MONGO_INITDB_ROOT_PASSWORD", "mongodb-root-password"),
                    // mongosh keeps its logs under $HOME; the root filesystem is read-only.
                    { name: "HOME", value: "/tmp" },
                ],
                resources: mg.resources,
                user: { uid: 999, gid: 999, fsGroup: 999 },
                writablePaths: ["/tmp"],
            }],
            container: {
                name: "mongo",
                image: mg.image,
                pullPolicy: cfg.imagePullPolicy,
                env: [
                    { name: "MONGO_INITDB_ROOT_USERNAME", value: mg.rootUser },
                    appSecretEnv(cfg, "MONGO_INITDB_ROOT_PASSWORD", "mongodb-root-password"),
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
