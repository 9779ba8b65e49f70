// Reads this stack's Pulumi config into the validated PlatformConfig, and the secret config
// values as secret Outputs kept apart from it (they are never component props).
import * as pulumi from "@pulumi/pulumi";
import { AddonsOutputs } from "./addons";
import { resolveConfig } from "./resolve";
import { PlatformConfig } from "./types";
import { SECRET_CONFIG_KEYS, SecretConfigKey, secretValueProblems } from "./secretRegistry";

export type SecretInputs = Partial<Record<SecretConfigKey, pulumi.Output<string>>>;

export interface LoadedConfig {
    config: PlatformConfig;
    secrets: SecretInputs;
}

/**
 * Throws ConfigError naming every problem; registers nothing. `addons`: the outputs of the add-ons
 * stack the config names (readAddonsStack), once read; they fill the defaults they stand for.
 */
export function loadConfig(addons?: AddonsOutputs): LoadedConfig {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const cfg = new pulumi.Config();
    const prefix = `${project}:`;

    // Every key set for this project, so that unknown keys are reported rather than ignored.
    const values: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        if ((SECRET_CONFIG_KEYS as readonly string[]).includes(key)) continue;
        values[key] = value;
    }

    const secrets: SecretInputs = {};
    const secretsProvided: SecretConfigKey[] = [];
    const plaintextSecrets: SecretConfigKey[] = [];
    const secretLengths: Partial<Record<SecretConfigKey, number>> = {};
    const secretProblems: Partial<Record<SecretConfigKey, string[]>> = {};
    // Internal to the SDK, but the only way to see whether a value was set with --secret.
    const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };
    for (const key of SECRET_CONFIG_KEYS) {
        const present = cfg.get(key);
        if (present !== undefined && present !== "") {
            secrets[key] = cfg.requireSecret(key);
            secretsProvided.push(key);
            secretLengths[key] = present.length;
            const broken = secretValueProblems(key, present);
            if (broken.length > 0) secretProblems[key] = broken;
            if (!runtime.isConfigSecret(`${prefix}${key}`)) plaintextSecrets.push(key);
        }
    }

    return { config: resolveConfig({ project, stack, values, secretsProvided, plaintextSecrets, secretLengths, secretProblems, addons }), secrets };
}

