// The post-deploy check as a Job: built here, created by `npm run smoke` (tools/commands/smoke.ts) after
// every `up`. It runs the0's api image (Node and the0's own nats and minio clients), hardened like
// every pod, as its own ServiceAccount with no token, reaching exactly what its checks need
// (SMOKE_DEPENDS_ON, from which the network graph opens its paths). The program keeps the
// ServiceAccount; the NetworkPolicy comes from the graph.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { serviceUrl } from "../plan/endpoints";
import { DeploymentPlan } from "../plan/plan";
import { fullName, objectMeta } from "../k8s/meta";
import { appSecretEnv } from "../k8s/secretRefs";
import { podTemplate } from "../k8s/workload";
import { catalogEntry } from "../model/catalog";
import { SMOKE_COMPONENT } from "../model/smokeCheck";
import { res } from "../model/basics";
import { smokeCheckSource } from "./check";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** The JetStream streams and the bucket the0's api creates at start (api/src/nats/nats.service.ts, custom-bot/storage.service.ts). */
export const THE0_STREAMS = ["THE0_EVENTS", "THE0_BOT_LOGS"];
export const CUSTOM_BOTS_BUCKET = "custom-bots";

export function smokeServiceAccountName(cfg: PlatformConfig): string {
    return fullName(cfg, SMOKE_COMPONENT);
}

export function smokeJobName(cfg: PlatformConfig): string {
    return fullName(cfg, SMOKE_COMPONENT);
}

/** The Job's environment: the endpoints and credentials the0's own services use, from the same Secret keys. */
export function smokeEnv(plan: DeploymentPlan, timeoutSeconds: number): EnvVar[] {
    const cfg = plan.config;
    const os = plan.endpoints.objectStorage;
    return [
        { name: "API_URL", value: serviceUrl(cfg, "api", "http") },
        { name: "THE0_ADMIN_EMAIL", value: cfg.rootAdminEmail },
        appSecretEnv(cfg, "THE0_ADMIN_PASSWORD", "admin-password"),
        appSecretEnv(cfg, "NATS_URLS", "nats-url"),
        { name: "MINIO_ENDPOINT", value: os.host },
        { name: "MINIO_PORT", value: String(os.port) },
        { name: "MINIO_USE_SSL", value: String(os.useSsl) },
        appSecretEnv(cfg, "MINIO_ACCESS_KEY", "minio-access-key"),
        appSecretEnv(cfg, "MINIO_SECRET_KEY", "minio-secret-key"),
        { name: "SMOKE_STREAMS", value: THE0_STREAMS.join(",") },
        { name: "SMOKE_BUCKETS", value: CUSTOM_BOTS_BUCKET },
        { name: "BOT_CONTROLLER_URL", value: serviceUrl(cfg, "botController", "query") },
        { name: "SMOKE_TIMEOUT_SECONDS", value: String(timeoutSeconds) },
        // Node finds the0's client libraries in the api image.
        { name: "NODE_PATH", value: "/app/node_modules" },
    ];
}

/** The smoke Job's pod: the api image running the check, no token, no retries (a failed check is the answer). */
export function smokePod(plan: DeploymentPlan, timeoutSeconds = 10): k8s.types.input.core.v1.PodTemplateSpec {
    const cfg = plan.config;
    return podTemplate(cfg, {
        component: SMOKE_COMPONENT,
        container: {
            name: "smoke",
            image: cfg.apps.api.image,
            pullPolicy: cfg.imagePullPolicy,
            command: ["node", "-e", smokeCheckSource()],
            env: smokeEnv(plan, timeoutSeconds),
            resources: res("50m", "64Mi", "500m", "256Mi"),
            // The api image's user, as the api's own pods run it.
            user: catalogEntry("api").user,
            writablePaths: ["/tmp"],
        },
        serviceAccountName: smokeServiceAccountName(cfg),
        automountToken: false,
        restartPolicy: "Never",
    });
}

/** The Job `npm run smoke` creates (a plain object; kubectl applies it). */
export function smokeJob(plan: DeploymentPlan, timeoutSeconds = 10): Record<string, unknown> {
    const cfg = plan.config;
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: objectMeta(cfg, SMOKE_COMPONENT, smokeJobName(cfg)),
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 20 * timeoutSeconds,
            ttlSecondsAfterFinished: 3600,
            template: smokePod(plan, timeoutSeconds),
        },
    };
}

/** The smoke check's identity in the stack: a ServiceAccount that mounts no token (it needs no Kubernetes API). */
export class SmokeCheck extends pulumi.ComponentResource {
    readonly serviceAccount: k8s.core.v1.ServiceAccount;

    constructor(name: string, args: { config: PlatformConfig }, opts?: pulumi.ComponentResourceOptions) {
        super("the0:smoke:SmokeCheck", name, {}, opts);
        const cfg = args.config;
        this.serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: objectMeta(cfg, SMOKE_COMPONENT, smokeServiceAccountName(cfg)),
            automountServiceAccountToken: false,
        }, { parent: this });
        this.registerOutputs({ serviceAccount: smokeServiceAccountName(cfg) });
    }
}
