// One builder for every stateful service (PostgreSQL, MongoDB, Redis, MinIO, NATS): a headless
// Service that governs the StatefulSet, a ClusterIP Service with the0's name, a StatefulSet with
// a volume claim template, and a PodDisruptionBudget when it runs more than one replica.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DataVolume, PlatformConfig } from "../config/types";
import { DeploymentPlan } from "../plan/plan";
import { fullName, objectMeta, selectorLabels, serviceMeta } from "../k8s/meta";
import { SecretRevision } from "../k8s/secretRefs";
import { ContainerArgs, podTemplate } from "../k8s/workload";

export const DATA_VOLUME = "data";

export interface ServicePort {
    name: string;
    port: number;
}

export interface StatefulServiceArgs {
    component: string;
    replicas: number;
    container: ContainerArgs;
    /** Run before the server, with its data volume mounted at the same path. */
    initContainers?: ContainerArgs[];
    /** Run beside the server (an exporter); no data volume. */
    sidecars?: ContainerArgs[];
    dataMountPath: string;
    storage: DataVolume;
    /** Ports of the ClusterIP Service. */
    ports: ServicePort[];
    /** Ports of the headless Service (peer traffic); defaults to `ports`. */
    peerPorts?: ServicePort[];
    podManagementPolicy?: "OrderedReady" | "Parallel";
    volumes?: k8s.types.input.core.v1.Volume[];
    annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    terminationGracePeriodSeconds?: number;
    /** How long Pulumi waits for the StatefulSet to become ready. */
    readyTimeout?: string;
}

export interface StatefulService {
    statefulSet: k8s.apps.v1.StatefulSet;
    service: k8s.core.v1.Service;
    headless: k8s.core.v1.Service;
    disruptionBudget?: k8s.policy.v1.PodDisruptionBudget;
}

export function headlessName(cfg: PlatformConfig, component: string): string {
    return `${fullName(cfg, component)}-headless`;
}

function servicePorts(ports: ServicePort[]): k8s.types.input.core.v1.ServicePort[] {
    return ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP" }));
}

/** What every data-service component is built from. */
export interface DataServiceArgs {
    plan: DeploymentPlan;
    /** Rolls a pod when the app Secret it reads is written. */
    secrets: SecretRevision;
}

export function statefulService(parent: pulumi.Resource, cfg: PlatformConfig, args: StatefulServiceArgs): StatefulService {
    const name = fullName(cfg, args.component);
    const selector = selectorLabels(cfg, args.component);
    const opts = { parent };

    const headless = new k8s.core.v1.Service(`${name}-headless`, {
        metadata: serviceMeta(cfg, args.component, headlessName(cfg, args.component)),
        spec: {
            clusterIP: "None",
            // Peers must find each other before they are ready (cluster formation).
            publishNotReadyAddresses: true,
            selector,
            ports: servicePorts(args.peerPorts ?? args.ports),
        },
    }, opts);

    const service = new k8s.core.v1.Service(name, {
        metadata: serviceMeta(cfg, args.component),
        spec: { type: "ClusterIP", selector, ports: servicePorts(args.ports) },
    }, opts);

    const withData = (c: ContainerArgs): ContainerArgs => ({ ...c, mounts: [...(c.mounts ?? []), { name: DATA_VOLUME, mountPath: args.dataMountPath }] });
    const template = podTemplate(cfg, {
        component: args.component,
        container: withData(args.container),
        initContainers: args.initContainers?.map(withData),
        sidecars: args.sidecars,
        volumes: args.volumes,
        annotations: args.annotations,
        terminationGracePeriodSeconds: args.terminationGracePeriodSeconds,
        spread: cfg.ha.spreadAcrossNodes && args.replicas > 1,
    });

    const statefulSet = new k8s.apps.v1.StatefulSet(name, {
        metadata: objectMeta(cfg, args.component),
        spec: {
            // The plain name, not the Service's output: the StatefulSet need not wait for the
            // headless Service's endpoint await (which settles for 10 s after the pods appear).
            serviceName: headlessName(cfg, args.component),
            replicas: args.replicas,
            podManagementPolicy: args.podManagementPolicy ?? "OrderedReady",
            selector: { matchLabels: selector },
            updateStrategy: { type: "RollingUpdate" },
            // Production keeps the claims when the StatefulSet goes; other stacks clean up.
            persistentVolumeClaimRetentionPolicy: {
                whenDeleted: cfg.protectDataVolumes ? "Retain" : "Delete",
                whenScaled: "Retain",
            },
            template,
            volumeClaimTemplates: [
                {
                    metadata: { name: DATA_VOLUME, labels: selector },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        storageClassName: args.storage.storageClass === "" ? undefined : args.storage.storageClass,
                        resources: { requests: { storage: args.storage.storageSize } },
                    },
                },
            ],
        },
    }, { ...opts, customTimeouts: args.readyTimeout ? { create: args.readyTimeout, update: args.readyTimeout } : undefined });

    const disruptionBudget = args.replicas > 1
        ? new k8s.policy.v1.PodDisruptionBudget(name, {
            metadata: objectMeta(cfg, args.component),
            spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
        }, opts)
        : undefined;

    return { statefulSet, service, headless, disruptionBudget };
}
