// What a platform stack takes from its cluster's add-ons stack (the cluster-addons project), read
// through a StackReference when `addonsStack` names it: the values a platform stack would otherwise
// copy by hand. They are defaults: a value the stack sets itself wins.
import * as pulumi from "@pulumi/pulumi";

/** The cluster-addons stack's outputs a platform stack reads (cluster-addons/index.ts exports them). */
export interface AddonsOutputs {
    gatewayClassName?: string;
    gatewayNamespace?: string;
    monitoringNamespace?: string;
    monitoringSelectorLabel?: string;
    cnpgOperatorNamespace?: string;
}

export const ADDONS_OUTPUT_KEYS = ["gatewayClassName", "gatewayNamespace", "monitoringNamespace", "monitoringSelectorLabel", "cnpgOperatorNamespace"] as const satisfies ReadonlyArray<keyof AddonsOutputs>;

/**
 * Reads the add-ons stack's outputs. Registers the StackReference (a read of the other stack's state,
 * no cluster object); an output that is missing is simply not taken, one that is not a string is refused.
 */
export async function readAddonsStack(name: string): Promise<AddonsOutputs> {
    const ref = new pulumi.StackReference(`addons-${name}`, { name });
    const out: AddonsOutputs = {};
    for (const key of ADDONS_OUTPUT_KEYS) {
        const { value } = await ref.getOutputDetails(key);
        if (value === undefined || value === null) continue;
        if (typeof value !== "string") throw new Error(`the add-ons stack ${name} exports ${key} as ${typeof value}, not a string: is it a cluster-addons stack?`);
        out[key] = value;
    }
    return out;
}
