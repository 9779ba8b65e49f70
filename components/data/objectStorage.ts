// S3-compatible object storage: MinIO standalone (one drive) or distributed (N pods, one drive
// each, erasure-coded), pinned to the last published quay.io release.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../model/ports";
import { fullName, selectorLabels, serviceFqdn, serviceMeta } from "../k8s/meta";
import { httpProbe } from "../k8s/workload";
import { isMeasured } from "../plan/plan";
import { appSecretEnv } from "../k8s/secretRefs";
import { DataServiceArgs } from "./stateful";
import { headlessName, StatefulService, statefulService } from "./stateful";

export class ObjectStorage extends pulumi.ComponentResource {
    readonly workload: StatefulService;
    readonly nodePortService?: k8s.core.v1.Service;

    constructor(name: string, args: DataServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("the0:data:ObjectStorage", name, {}, opts);
        const { plan, secrets } = args;
        const cfg = plan.config;
        const os = cfg.objectStorage;
        const distributed = plan.objectStorageDistributed;
        const replicas = distributed ? os.replicas : 1;
        const fqdnBase = serviceFqdn(cfg, headlessName(cfg, "minio"));
        const drives = distributed ? `http://${fullName(cfg, "minio")}-{0...${replicas - 1}}.${fqdnBase}/data` : "/data";

        this.workload = statefulService(this, cfg, {
            component: "minio",
            replicas,
            dataMountPath: "/data",
            storage: os,
            ports: [
                { name: "api", port: PORTS.minioApi },
                { name: "console", port: PORTS.minioConsole },
            ],
            // Distributed MinIO starts only when it sees every peer.
            podManagementPolicy: distributed ? "Parallel" : "OrderedReady",
            annotations: secrets.rollOnWrite(["minio-access-key", "minio-secret-key"]),
            container: {
                name: "minio",
                image: os.image,
                pullPolicy: cfg.imagePullPolicy,
                command: ["minio", "server", drives, "--address", `:${PORTS.minioApi}`, "--console-address", `:${PORTS.minioConsole}`, "--certs-dir", "/tmp/minio/certs"],
                env: [
                    appSecretEnv(cfg, "MINIO_ROOT_USER", "minio-access-key"),
                    appSecretEnv(cfg, "MINIO_ROOT_PASSWORD", "minio-secret-key"),
                    // MinIO keeps its client config under $HOME; the root filesystem is read-only.
                    { name: "HOME", value: "/tmp" },
                    // Metrics without a token: only the monitoring namespace's path to this port is opened for them.
                    ...(isMeasured(plan, "objectStorage") ? [{ name: "MINIO_PROMETHEUS_AUTH_TYPE", value: "public" }] : []),
                ],
                ports: [
                    { name: "api", containerPort: PORTS.minioApi },
                    { name: "console", containerPort: PORTS.minioConsole },
                ],
                probes: {
                    liveness: httpProbe("/minio/health/live", "api", 30, 30, 20),
                    readiness: httpProbe("/minio/health/ready", "api", 5, 10, 5),
                },
                resources: os.resources,
                user: { uid: 1000, gid: 1000, fsGroup: 1000 },
                writablePaths: ["/tmp"],
            },
        });

        if (cfg.nodePorts.enabled) {
            // the0's `<fn>-minio-external`: S3 API and console on node ports.
            this.nodePortService = new k8s.core.v1.Service(`${fullName(cfg, "minio")}-external`, {
                metadata: serviceMeta(cfg, "minio", `${fullName(cfg, "minio")}-external`),
                spec: {
                    type: "NodePort",
                    selector: selectorLabels(cfg, "minio"),
                    ports: [
                        { name: "api", port: PORTS.minioApi, targetPort: "api", nodePort: cfg.nodePorts.minio, protocol: "TCP" },
                        { name: "console", port: PORTS.minioConsole, targetPort: "console", nodePort: cfg.nodePorts.minioConsole, protocol: "TCP" },
                    ],
                },
            }, { parent: this });
        }
        this.registerOutputs({ service: this.workload.service.metadata.name });
    }
}
