// The exporter sidecars of the measured data services (model/metricsSources.ts says which port and
// path each serves): they run in the store's own pod and reach the server on 127.0.0.1.
import { appSecretEnv } from "../k8s/secretRefs";
import { ContainerArgs } from "../k8s/workload";
import { METRICS_SOURCES } from "../model/metricsSources";
import { PORTS } from "../model/ports";
import { DeploymentPlan, isMeasured } from "../plan/plan";

/**
 * The exporter sidecar of a data service's pod (none when not measured). It runs as the pod's user,
 * hardened like every container, and reaches its server on 127.0.0.1 (a pod's own Service would need a
 * NetworkPolicy path to itself).
 */
export function exporterSidecar(plan: DeploymentPlan, key: "nats" | "postgres" | "mongo", user: ContainerArgs["user"]): ContainerArgs[] {
    if (!isMeasured(plan, key)) return [];
    const cfg = plan.config;
    const source = METRICS_SOURCES[key];
    const base = {
        name: "metrics",
        image: cfg.monitoring.images[source.exporter!],
        pullPolicy: cfg.imagePullPolicy,
        ports: [{ name: source.port.name, containerPort: source.port.number }],
        resources: cfg.monitoring.resources,
        user,
    };
    switch (key) {
        case "nats":
            return [{ ...base, args: [`-port=${source.port.number}`, "-varz", "-jsz=all", "-connz", "-routez", "-healthz", `http://127.0.0.1:${PORTS.natsMonitor}`] }];
        case "postgres":
            return [{
                ...base,
                args: [`--web.listen-address=:${source.port.number}`],
                env: [
                    // Host, user and password apart: the password needs no URL encoding.
                    { name: "DATA_SOURCE_URI", value: `127.0.0.1:${PORTS.postgres}/${cfg.postgres.database}?sslmode=disable` },
                    { name: "DATA_SOURCE_USER", value: cfg.postgres.user },
                    appSecretEnv(cfg, "DATA_SOURCE_PASS", "postgresql-password"),
                ],
            }];
        case "mongo":
            return [{
                ...base,
                args: [`--mongodb.uri=mongodb://127.0.0.1:${PORTS.mongo}/admin`, `--web.listen-address=:${source.port.number}`, "--collect-all", "--compatible-mode"],
                env: [
                    { name: "MONGODB_USER", value: cfg.mongo.rootUser },
                    appSecretEnv(cfg, "MONGODB_PASSWORD", "mongodb-root-password"),
                ],
            }];
    }
}
