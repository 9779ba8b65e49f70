// Load the validated stack config, build the platform, export its outputs. With `addonsStack` set,
// the config is validated first, then the add-ons stack's outputs are read and the config resolved
// again with them as defaults: nothing is registered before the config is known to be valid.
import { readAddonsStack } from "./components/config/addons";
import { loadConfig, LoadedConfig } from "./components/config/load";
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
    const loaded = loadConfig();
    if (loaded.config.addonsStack === "") return deploy(loaded);
    return deploy(loadConfig(await readAddonsStack(loaded.config.addonsStack)));
}

// Pulumi awaits the program's export: the stack outputs.
export = main();
