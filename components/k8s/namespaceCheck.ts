// The kinds the pre-deploy check lists in the target namespace (live/foreignObjects.ts): what the
// stack creates by name there and what a Helm install of the0 puts there. The preview identity may
// list them too, so a pull request's preview runs the same check.
import { Kind } from "./createdKinds";

export interface CheckedKind extends Kind {
    kind: string;
    version: string;
}

export const NAMESPACE_CHECK_KINDS: readonly CheckedKind[] = [
    { kind: "Deployment", apiGroup: "apps", version: "v1", resource: "deployments" },
    { kind: "StatefulSet", apiGroup: "apps", version: "v1", resource: "statefulsets" },
    { kind: "CronJob", apiGroup: "batch", version: "v1", resource: "cronjobs" },
    { kind: "Service", apiGroup: "", version: "v1", resource: "services" },
    { kind: "Secret", apiGroup: "", version: "v1", resource: "secrets" },
    { kind: "ConfigMap", apiGroup: "", version: "v1", resource: "configmaps" },
    { kind: "ServiceAccount", apiGroup: "", version: "v1", resource: "serviceaccounts" },
    { kind: "PersistentVolumeClaim", apiGroup: "", version: "v1", resource: "persistentvolumeclaims" },
    { kind: "Ingress", apiGroup: "networking.k8s.io", version: "v1", resource: "ingresses" },
];

/** The collection's API path in `namespace`. */
export function collectionPath(k: CheckedKind, namespace: string): string {
    return `${k.apiGroup === "" ? "/api" : `/apis/${k.apiGroup}`}/${k.version}/namespaces/${namespace}/${k.resource}`;
}
