// NATS with JetStream as a StatefulSet: server name from the pod name, routes to every peer
// through the headless Service, file store on a PVC, a memory store for the0's log stream,
// monitoring on 8222 with /healthz probes and lame-duck shutdown. No client auth: the0 1.14's api
// cannot send NATS credentials; NetworkPolicies admit only the services that declare NATS.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { DeploymentPlan } from "../../plan/plan";
import { parseQuantity } from "../../config/validate";
import { PORTS } from "../../model/ports";
import { exporterSidecar } from "../exporters";
import { fullName, objectMeta, serviceFqdn } from "../../k8s/meta";
import { httpProbe } from "../../k8s/workload";
import { DATA_VOLUME, headlessName, StatefulService, statefulService } from "../stateful";
import { formatNatsConfig, NatsBlock } from "./natsConfig";

const CONFIG_DIR = "/etc/nats-config";
const PID_FILE = "/var/run/nats/nats.pid";

/**
 * The nats-server configuration file. The server name (the pod's name) is not in it: nats-server
 * re-parses the value of a `$VAR` reference as config, so a pod name such as `1abc-nats-0` reads
 * as a date or number and the server refuses to start. It comes from `--server_name` instead.
 */
export function natsServerConfig(plan: DeploymentPlan): string {
    const cfg = plan.config;
    const n = cfg.nats;
    const config: NatsBlock = {
        port: PORTS.natsClient,
        http_port: PORTS.natsMonitor,
        pid_file: PID_FILE,
        lame_duck_grace_period: "10s",
        lame_duck_duration: "30s",
        jetstream: {
            store_dir: `/${DATA_VOLUME}`,
            max_memory_store: Math.floor(parseQuantity(n.memoryStoreSize)),
            max_file_store: Math.floor(parseQuantity(n.storageSize) * 0.9),
        },
    };
    if (plan.natsClustered) {
        const peer = (i: number) => `nats://${serviceFqdn(cfg, `${fullName(cfg, "nats")}-${i}.${headlessName(cfg, "nats")}`)}:${PORTS.natsCluster}`;
        config.cluster = {
            name: fullName(cfg, "nats"),
            port: PORTS.natsCluster,
            no_advertise: true,
            routes: Array.from({ length: n.replicas }, (_, i) => peer(i)),
        };
    }
    return formatNatsConfig(config);
}

/** Go runtime soft limit at 80% of the memory limit, as the NATS chart advises. */
function goMemLimit(memoryLimit: string): string {
    return `${Math.floor((parseQuantity(memoryLimit) * 0.8) / 2 ** 20)}MiB`;
}

export class NatsCluster extends pulumi.ComponentResource {
    readonly workload: StatefulService;
    readonly configMap: k8s.core.v1.ConfigMap;

    constructor(name: string, args: { plan: DeploymentPlan }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:nats:NatsCluster", name, {}, opts);
        const cfg = args.plan.config;
        const n = cfg.nats;
        const config = natsServerConfig(args.plan);

        this.configMap = new k8s.core.v1.ConfigMap(`${fullName(cfg, "nats")}-config`, {
            metadata: objectMeta(cfg, "nats", `${fullName(cfg, "nats")}-config`),
            data: { "nats.conf": config },
        }, { parent: this });

        const env: k8s.types.input.core.v1.EnvVar[] = [
            { name: "SERVER_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "GOMEMLIMIT", value: goMemLimit(n.resources.limits.memory) },
        ];

        this.workload = statefulService(this, cfg, {
            component: "nats",
            replicas: n.replicas,
            dataMountPath: `/${DATA_VOLUME}`,
            storage: n,
            sidecars: exporterSidecar(args.plan, "nats", { uid: 1000, gid: 1000, fsGroup: 1000 }),
            ports: [
                { name: "client", port: PORTS.natsClient },
                { name: "monitor", port: PORTS.natsMonitor },
            ],
            peerPorts: [
                { name: "client", port: PORTS.natsClient },
                { name: "cluster", port: PORTS.natsCluster },
                { name: "monitor", port: PORTS.natsMonitor },
            ],
            // Every peer must start for the JetStream cluster to form.
            podManagementPolicy: "Parallel",
            annotations: {
                "the0.app/config-checksum": createHash("sha256").update(config).digest("hex"),
            },
            volumes: [{ name: "config", configMap: { name: this.configMap.metadata.name } }],
            // At least lame_duck_grace_period + lame_duck_duration + margin.
            terminationGracePeriodSeconds: 60,
            // The startup probe allows 15 minutes for a JetStream catch-up; Pulumi waits as long.
            readyTimeout: "15m",
            container: {
                name: "nats",
                image: n.image,
                pullPolicy: cfg.imagePullPolicy,
                // $(SERVER_NAME) is expanded by the kubelet from the env below.
                args: ["--config", `${CONFIG_DIR}/nats.conf`, "--server_name", "$(SERVER_NAME)"],
                env,
                ports: [
                    { name: "client", containerPort: PORTS.natsClient },
                    { name: "cluster", containerPort: PORTS.natsCluster },
                    { name: "monitor", containerPort: PORTS.natsMonitor },
                ],
                probes: {
                    startup: httpProbe("/healthz", "monitor", 10, 10, 5, 90),
                    liveness: httpProbe("/healthz?js-enabled-only=true", "monitor", 10, 30, 5, 3),
                    readiness: httpProbe("/healthz?js-server-only=true", "monitor", 10, 10, 5, 3),
                },
                lifecycle: { preStop: { exec: { command: ["nats-server", `-sl=ldm=${PID_FILE}`] } } },
                resources: n.resources,
                user: { uid: 1000, gid: 1000, fsGroup: 1000 },
                writablePaths: ["/var/run/nats", "/tmp"],
                mounts: [{ name: "config", mountPath: CONFIG_DIR, readOnly: true }],
            },
        });
        this.registerOutputs({ service: this.workload.service.metadata.name });
    }
}
