// A custom kind the cluster does not serve fails only when the engine reaches it, after the objects
// before it were created: on a new Minikube, `pulumi up --stack dev` without the cluster-addons
// stack would create half the stack and stop on cert-manager's Issuer. So before anything is
// registered, the API groups of the custom kinds the plan creates are read through discovery (open
// to every authenticated identity, no extra RBAC), and a missing kind stops the run with where its
// CRD comes from.
import * as pulumi from "@pulumi/pulumi";
import { CustomKind } from "../plan/customKinds";
import { DeploymentPlan } from "../plan/plan";
import { LiveCluster } from "./cluster";

interface ApiResourceList {
    resources?: Array<{ name: string }>;
}

/** One line per group version with kinds the cluster does not serve. */
export async function missingCustomKinds(plan: DeploymentPlan, cluster: LiveCluster): Promise<string[]> {
    const byGroupVersion = new Map<string, CustomKind[]>();
    for (const k of plan.customKinds) byGroupVersion.set(`${k.group}/${k.version}`, [...(byGroupVersion.get(`${k.group}/${k.version}`) ?? []), k]);
    const lines: string[] = [];
    for (const [gv, kinds] of byGroupVersion) {
        const served = new Set((((await cluster.get(`/apis/${gv}`)) as ApiResourceList | undefined)?.resources ?? []).map((r) => r.name));
        const missing = kinds.filter((k) => !served.has(k.resource));
        if (missing.length > 0) lines.push(`${missing.map((k) => k.kind).join(", ")} (${gv}): not served by the cluster; the CRDs come with ${missing[0].source}`);
    }
    return lines;
}

/** Stops the run before anything is registered. */
export class MissingCustomKindsError extends pulumi.RunError {
    constructor(stack: string, where: string, lines: string[]) {
        super([
            `Stack "${stack}" creates kinds the cluster (${where}) does not serve; nothing was changed:`,
            ...lines.map((l) => `  - ${l}`),
            "Deploy the cluster's add-ons stack first (cd cluster-addons && pulumi up --stack <the cluster's add-ons stack>; `npm run deploy:dev` does it for Minikube), then run this again. `npm run preflight -- --stack <stack>` checks everything a first up needs.",
        ].join("\n"));
        this.name = "MissingCustomKindsError";
    }
}
