// Buckets a service reads that the0 creates only when first writing to them: its runtime makes
// `bot-logs` and `bot-state` when a bot first logs or saves state, and its gc fails while they are
// missing (so on a fresh install every gc run failed; found with the real gc in tests/the0). An
// init container creates them first, with the pinned MinIO client (backups.clientImage) and the
// object storage credentials the service itself uses.
import { PlatformConfig } from "../config/types";
import { DataEndpoints } from "../plan/endpoints";
import { ContainerArgs } from "../k8s/workload";
import { MINIO_CLIENT_USER, res } from "../model/basics";
import { appSecretEnv } from "../k8s/secretRefs";

/** Creates each bucket of $BUCKETS that is missing; the client keeps its config under /tmp (read-only root). */
export const ENSURE_BUCKETS_SCRIPT = [
    "set -eu",
    'mc --config-dir /tmp/.mc alias set the0 "$MINIO_URL" "$MINIO_ACCESS_KEY" "$MINIO_SECRET_KEY" >/dev/null',
    'for bucket in $BUCKETS; do mc --config-dir /tmp/.mc mb --ignore-existing "the0/$bucket"; done',
].join("\n");

export function ensureBucketsContainer(cfg: PlatformConfig, endpoints: DataEndpoints, buckets: readonly string[]): ContainerArgs {
    const os = endpoints.objectStorage;
    return {
        name: "buckets",
        image: cfg.backups.clientImage,
        pullPolicy: cfg.imagePullPolicy,
        command: ["/bin/sh", "-c", ENSURE_BUCKETS_SCRIPT],
        env: [
            { name: "MINIO_URL", value: `${os.useSsl ? "https" : "http"}://${os.host}:${os.port}` },
            appSecretEnv(cfg, "MINIO_ACCESS_KEY", "minio-access-key"),
            appSecretEnv(cfg, "MINIO_SECRET_KEY", "minio-secret-key"),
            { name: "BUCKETS", value: buckets.join(" ") },
        ],
        resources: res("10m", "32Mi", "200m", "128Mi"),
        user: MINIO_CLIENT_USER,
        writablePaths: ["/tmp"],
    };
}
