// Load the validated stack config, build the platform, export its outputs. With `addonsStack` set,
// the config is validated first, then the add-ons stack's outputs are read and the config resolved
// again with them as defaults: nothing is registered before the config is known to be valid. Then
// the target namespace is read, and a run that would take over objects it did not create (a Helm
// install of the0) or move a data store across a major version on its data stops there, in preview
// and in up alike.
import * as pulumi from "@pulumi/pulumi";
import { checkTargetNamespace } from "./components/live/checks";
import { liveCluster } from "./components/live/cluster";
import { readAddonsStack } from "./components/config/addons";
import { loadConfig, LoadedConfig } from "./components/config/load";
import { resolvePlan } from "./components/plan/plan";
import { Platform } from "./components/platform";

function deploy({ config, secrets }: LoadedConfig) {
    const platform = new Platform("the0", { config, secrets });
    const o = platform.outputs;
    return {
        namespace: o.namespace,
        urls: o.urls,
        endpoints: o.endpoints,
        secretName: o.secretName,
        hostnames: o.hostnames,
        previewServiceAccount: o.previewServiceAccount,
        the0Version: o.the0Version,
        dns: o.dns,
        adminSignIn: o.adminSignIn,
        backups: o.backups,
        monitoring: o.monitoring,
    };
}

async function main() {
    const first = loadConfig();
    const loaded = first.config.addonsStack === "" ? first : loadConfig(await readAddonsStack(first.config.addonsStack));
    // Under unit-test mocks there is no engine and no cluster to read.
    if (pulumi.runtime.hasEngine()) await checkTargetNamespace(resolvePlan(loaded.config), () => liveCluster(loaded.config.kubernetes.context));
    return deploy(loaded);
}

// Pulumi awaits the program's export: the stack outputs.
export = main();
