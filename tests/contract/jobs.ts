// Runs a job pod's containers (a backup CronJob's, a restore Job's) as the kubelet would: in order,
// each as its user, with the pod's emptyDirs as shared directories of the scratch area (mode 0777,
// as the kubelet creates them), Secret values resolved, in-cluster endpoints mapped to loopback.
import { spawnSync } from "child_process";
import { chmodSync } from "fs";
import { dirname } from "path";
import { forPodUser, Loopback, SCRATCH } from "../../tools/realPods/process";
import { toolchainBin } from "../../tools/toolchain/toolchainBin";
import { RenderedContainer, RenderedStack } from "../../tools/realPods/render";
import { nssWrapper, pgIsReady, podMounts } from "../../tools/realPods/servers";

export interface ContainerRun {
    container: string;
    status: number | null;
    output: string;
    seconds: number;
}

/**
 * Runs `containers` of one pod in order, stopping at the first that fails (as init containers do);
 * `overrides` replaces env values (a request's FROM and FORCE).
 */
export function runPod(r: RenderedStack, lb: Loopback, pod: string, containers: RenderedContainer[], overrides: Record<string, string> = {}): ContainerRun[] {
    const mounts = podMounts(r, containers[0], pod, "/backup");
    for (const c of containers) for (const m of c.mounts) mounts.dirs.has(m.mountPath) || mounts.dirs.set(m.mountPath, mounts.dirs.get("/backup")!);
    for (const dir of mounts.dirs.values()) chmodSync(dir, 0o777);
    // The images' tools: the MinIO client from the toolchain, PostgreSQL 15's client tools from Debian.
    const path = [dirname(forPodUser(toolchainBin("mc"))), dirname(pgIsReady()), process.env.PATH ?? ""].join(":");
    const runs: ContainerRun[] = [];
    for (const c of containers) {
        const [sh, flag, script] = c.command;
        if (sh !== "/bin/sh" || flag !== "-c") throw new Error(`${c.name}: expected /bin/sh -c <script>, got ${c.command.join(" ")}`);
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries({ ...lb.rewriteEnv(c.env), ...overrides })) env[k] = mounts.rewrite(v);
        const user = process.getuid?.() === 0 ? { uid: c.user.uid, gid: c.user.gid } : {};
        const started = Date.now();
        const res = spawnSync("/bin/sh", ["-c", mounts.rewrite(script)], {
            cwd: SCRATCH,
            env: { PATH: path, ...nssWrapper(mounts.root, c.user, c.name), ...env },
            encoding: "utf8",
            maxBuffer: 64 * 2 ** 20,
            ...user,
        });
        runs.push({ container: c.name, status: res.status, output: `${res.stdout}${res.stderr}`, seconds: (Date.now() - started) / 1000 });
        if (res.status !== 0) break;
    }
    return runs;
}

/** The pod's runs, or an error with every container's output when one failed. */
export function runPodOk(r: RenderedStack, lb: Loopback, pod: string, containers: RenderedContainer[], overrides: Record<string, string> = {}): ContainerRun[] {
    const runs = runPod(r, lb, pod, containers, overrides);
    const failed = runs.find((x) => x.status !== 0);
    if (failed || runs.length !== containers.length) {
        throw new Error(`${pod}: ${runs.map((x) => `[${x.container} exited ${x.status}]\n${x.output}`).join("\n")}`);
    }
    return runs;
}
