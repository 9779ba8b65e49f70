// Small, pure checks used by the config resolver. Each problem names the key, the value and
// what is allowed; ConfigError reports all of them at once.

import { RunError } from "@pulumi/pulumi/errors";
import validator from "validator";

export interface Problem {
    key: string;
    value: unknown;
    allowed: string;
}

/**
 * A RunError, so that the CLI prints the list alone: the language host hides the stack trace of a
 * RunError (a config mistake is not a bug in the program).
 */
export class ConfigError extends RunError {
    readonly problems: readonly Problem[];

    constructor(stack: string, problems: Problem[]) {
        const lines = problems.map((p) => `  - ${p.key} = ${show(p.value)}: ${p.allowed}`);
        super(`Invalid configuration for stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
        this.name = "ConfigError";
        this.problems = problems;
    }
}

export function show(value: unknown): string {
    if (value === undefined) return "(unset)";
    if (typeof value === "string") return JSON.stringify(value);
    return JSON.stringify(value) ?? String(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(v: string): boolean {
    return v.length <= 63 && DNS_LABEL.test(v);
}

export function isDnsSubdomain(v: string): boolean {
    return v.length > 0 && v.length <= 253 && v.split(".").every(isDnsLabel);
}

/** A hostname for an Ingress rule: a DNS subdomain with at least two labels. */
export function isHostname(v: string): boolean {
    return isDnsSubdomain(v) && v.includes(".");
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
const SUFFIX: Record<string, number> = {
    "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A positive Kubernetes quantity (`500m`, `1`, `10Gi`, `512M`); `10GB` is not one. */
export function isQuantity(v: string): boolean {
    return QUANTITY.test(v) && parseQuantity(v) > 0;
}

export function parseQuantity(v: string): number {
    const m = QUANTITY.exec(v);
    if (!m) return NaN;
    return parseFloat(m[1]) * SUFFIX[m[3] ?? ""];
}

/** A byte quantity must not use the milli suffix (`512m` bytes is a classic typo for `512Mi`). */
export function isByteQuantity(v: string): boolean {
    return isQuantity(v) && !v.endsWith("m");
}

const IMAGE = /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([\w][\w.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;

export interface ImageCheck {
    valid: boolean;
    pinned: boolean;
    latest: boolean;
}

/** Parses an image reference; pinned means it carries a tag or a digest. */
export function checkImage(ref: string): ImageCheck {
    const m = IMAGE.exec(ref);
    if (!m) return { valid: false, pinned: false, latest: false };
    const hasDigest = ref.includes("@sha256:");
    const tag = m[1];
    return { valid: true, pinned: hasDigest || tag !== undefined, latest: tag === "latest" && !hasDigest };
}

/** An email address as the0's api checks THE0_ADMIN_EMAIL: class-validator's isEmail (validator.js) on the trimmed value. */
export function isEmail(v: string): boolean {
    return validator.isEmail(v.trim());
}

export function isChartVersion(v: string): boolean {
    return /^v?\d+\.\d+\.\d+$/.test(v);
}

export function isImageTag(v: string): boolean {
    return /^[\w][\w.-]{0,127}$/.test(v);
}

