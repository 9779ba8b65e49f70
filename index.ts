// Load the validated stack config, build the platform, export its outputs.
import { loadConfig } from "./components/config/load";
import { Platform } from "./components/platform";

const { config, secrets } = loadConfig();
const platform = new Platform("the0", { config, secrets });

export const namespace = platform.outputs.namespace;
export const urls = platform.outputs.urls;
export const endpoints = platform.outputs.endpoints;
export const secretName = platform.outputs.secretName;
export const hostnames = platform.outputs.hostnames;
export const previewServiceAccount = platform.outputs.previewServiceAccount;
export const backups = platform.outputs.backups;
export const monitoring = platform.outputs.monitoring;
