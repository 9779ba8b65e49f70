// the0 cluster add-ons: one stack per cluster. Platform stacks name what it exports in their
// config (ingress.gateway.className, ingress.controllerNamespace, monitoring.namespace and
// monitoring.selectorLabel); see docs/kubernetes-deployment.md.
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "./addons";
import { resolveAddonsConfig } from "./config";

const project = pulumi.getProject();
const values: Record<string, unknown> = {};
for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(`${project}:`)) continue;
    const key = fullKey.slice(project.length + 1);
    try {
        values[key] = JSON.parse(value);
    } catch {
        values[key] = value;
    }
}
const addons = new ClusterAddons("addons", { config: resolveAddonsConfig(project, pulumi.getStack(), values) });

export const certManagerNamespace = addons.outputs.certManagerNamespace;
export const gatewayClassName = addons.outputs.gatewayClassName;
export const gatewayNamespace = addons.outputs.gatewayNamespace;
export const monitoringNamespace = addons.outputs.monitoringNamespace;
export const monitoringSelectorLabel = addons.outputs.monitoringSelectorLabel;
export const cnpgOperatorNamespace = addons.outputs.cnpgOperatorNamespace;
