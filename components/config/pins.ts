// Every pinned version the program deploys: images, charts and the0's release, each with the
// `renovate:` annotation Renovate proposes updates by (renovate.json). The defaults per profile are
// with their keys (schema.ts); app-service sizing with each service (components/model/catalog.ts).

/**
 * Data-service images. Official images, pinned; MinIO from quay.io (minio/minio left Docker Hub).
 * Each pin carries a `renovate:` annotation, so Renovate proposes updates (renovate.json).
 */
export const DATA_IMAGES = {
    // renovate: datasource=docker depName=postgres
    postgres: "postgres:15.13-alpine",
    // postgres.mode cloudnative-pg: the PostgreSQL image CloudNativePG 1.30.1 itself defaults to (pkg/versions); its
    // "system" flavour carries barman-cloud, which the operator's in-tree backups and WAL archive run.
    // renovate: datasource=docker depName=ghcr.io/cloudnative-pg/postgresql versioning=regex:^(?<major>\d+)\.(?<minor>\d+)-system-trixie$
    cnpgPostgres: "ghcr.io/cloudnative-pg/postgresql:18.6-system-trixie",
    // renovate: datasource=docker depName=mongo
    mongo: "mongo:7.0.28-jammy",
    // renovate: datasource=docker depName=redis
    redis: "redis:7.4.2-alpine",
    // renovate: datasource=docker depName=nats
    nats: "nats:2.14.10-alpine",
    // renovate: datasource=docker depName=quay.io/minio/minio versioning=regex:^RELEASE\.(?<major>\d{4})-(?<minor>\d{2})-(?<patch>\d{2})T
    minio: "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z",
    // The MinIO client the backup jobs run (its last published quay.io release).
    // renovate: datasource=docker depName=quay.io/minio/mc versioning=regex:^RELEASE\.(?<major>\d{4})-(?<minor>\d{2})-(?<patch>\d{2})T
    mc: "quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z",
} as const;

/** Exporter images for monitoring, pinned like every image. */
export const EXPORTER_IMAGES = {
    // renovate: datasource=docker depName=natsio/prometheus-nats-exporter
    natsExporter: "natsio/prometheus-nats-exporter:0.20.1",
    // renovate: datasource=docker depName=quay.io/prometheuscommunity/postgres-exporter
    postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.17.1",
    // renovate: datasource=docker depName=percona/mongodb_exporter
    mongoExporter: "percona/mongodb_exporter:0.44.0",
} as const;

/** Where cert-manager runs (the cluster-addons project installs it there). */
export const CERT_MANAGER_NAMESPACE = "cert-manager";

/** Pinned chart versions for the optional Helm installs (the cluster-addons project's and monitoring's). */
export const CHART_VERSIONS = {
    // renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
    certManager: "v1.21.1",
    // Envoy Gateway's chart is an OCI artifact (oci://docker.io/envoyproxy/gateway-helm); v1.9.1 bundles Gateway API v1.6.1.
    // renovate: datasource=docker depName=docker.io/envoyproxy/gateway-helm
    envoyGateway: "v1.9.1",
    // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    kubePrometheusStack: "82.6.0",
} as const;

/**
 * the0's release: the tag of its api, frontend, docs and runtime images. Renovate proposes a new
 * release together with the chart the parity test renders (.github/workflows/ci.yml), as one change.
 */
// renovate: datasource=docker depName=ghcr.io/alexanderwanyoike/the0/api
export const THE0_VERSION = "1.14.0";

/** Where Envoy Gateway (the cluster-addons project's Gateway API implementation) runs its controller and proxies. */
export const ENVOY_GATEWAY_NAMESPACE = "envoy-gateway-system";
/** The GatewayClass the cluster-addons project creates for Envoy Gateway. */
export const ENVOY_GATEWAY_CLASS = "eg";

/**
 * CloudNativePG, for postgres.mode cloudnative-pg: the cluster-addons project applies its release manifest
 * (CRDs, RBAC, webhooks, the operator), server-side, so an upgrade updates the CRDs with the operator. 1.30.1
 * is the newest release with the fixes for CVE-2026-44477, -55765, -55769 and -84304 (1.28 is out of support);
 * the e2e runs this version of the operator, built from its Go module.
 */
// renovate: datasource=docker depName=ghcr.io/cloudnative-pg/cloudnative-pg
export const CNPG_VERSION = "1.30.1";

/** The release manifest of a CloudNativePG version, from its release branch. */
export function cnpgReleaseManifest(version: string): string {
    const minor = version.split(".").slice(0, 2).join(".");
    return `https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-${minor}/releases/cnpg-${version}.yaml`;
}

/** Where the release manifest runs the CloudNativePG operator. */
export const CNPG_OPERATOR_NAMESPACE = "cnpg-system";
