// The one way a workload reads a secret: an env var from a key of a named Secret. The app Secret's
// keys are typed (model/secretKeys.ts), so a reference to a key the Secret does not have does not compile.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/types";
import { SecretKey } from "../model/secretKeys";
import { appSecretName } from "./meta";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** A key of a named Secret. */
export interface SecretRef {
    name: string;
    key: string;
}

/** An env var read from a key of a Secret. */
export function secretEnv(name: string, ref: SecretRef): EnvVar {
    return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/**
 * A URL from a key of a Secret we do not write, with a query appended: the key is read into `via` and
 * `name` refers to it (the kubelet expands $(VAR) of a variable defined before it in the list).
 */
export function secretUrlEnv(name: string, via: string, ref: SecretRef, query: string): EnvVar[] {
    return [secretEnv(via, ref), { name, value: `$(${via})?${query}` }];
}

/** An env var read from a key of the app Secret (ours, or the user's existingSecret). */
export function appSecretEnv(cfg: PlatformConfig, name: string, key: SecretKey): EnvVar {
    return secretEnv(name, { name: appSecretName(cfg), key });
}

/**
 * How a pod follows the app Secret: the annotations that roll it when the program writes the Secret
 * (components/secrets.ts implements it). Tiers get this, not the Secret component.
 */
export interface SecretRevision {
    rollOnWrite(keys: readonly SecretKey[]): Record<string, pulumi.Output<string>>;
}
