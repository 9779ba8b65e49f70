// A pod for one of the0's own processes, on this machine: a private mount namespace (`unshare -m`)
// whose root is a read-only tree holding the machine's system folders, the image's files at the
// image's paths, an emptyDir (tmpfs) at exactly each path the program mounts one, and, when the pod
// gets a service-account token, the token, CA and namespace where client-go's InClusterConfig reads
// them. The process runs there as the pod's uid/gid, with the rendered env, command and args, in the
// image's working directory. It shares the machine's network, so in-cluster endpoints are rewritten
// to 127.0.0.1 by the caller (Loopback) and every such rewrite is listed by the test.
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { RenderedContainer } from "./render";
import { SCRATCH, ServerProcess, start } from "./process";

/** What an image brings: its files (host folder → path in the image), working directory, entrypoint, PATH. */
export interface ImageLayout {
    name: string;
    files: Array<{ host: string; path: string }>;
    workdir: string;
    /** Used when the rendered container sets no command (the image's CMD/ENTRYPOINT). */
    defaultCommand: string[];
    /** The image's PATH (its ENV), where the machine's binaries are bound in. */
    path: string;
    /** The image's other ENV; the container's env wins, as in Kubernetes. */
    env: Record<string, string>;
}

export interface PodFiles {
    /** Files a projected volume or Secret puts in the pod: folder path in the pod → file name → content. */
    [folder: string]: Record<string, string>;
}

/** The machine's folders a process needs to start (read-only); nothing else of the host is visible. */
const SYSTEM_FOLDERS = ["/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc", "/dev", "/proc"];

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

function quote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts the container's process in its own read-only root. `mountPaths` are the container's
 * volume mounts; each becomes an empty tmpfs owned by the pod's user, except those in `files`
 * (a Secret or projected volume), which hold exactly the given files, read-only.
 */
export function startPod(podName: string, c: RenderedContainer, image: ImageLayout, opts: { files?: PodFiles; env?: Record<string, string> } = {}): ServerProcess {
    const dir = join(SCRATCH, "pods", podName);
    const root = join(dir, "root");
    mkdirSync(root, { recursive: true });
    const files = opts.files ?? {};
    const lines = ["set -eu", `root=${quote(root)}`, 'mount -t tmpfs -o mode=0755 rootfs "$root"'];
    const bind = (host: string, path: string) => {
        lines.push(`mkdir -p "$root"${quote(path)}`, `mount --rbind ${quote(host)} "$root"${quote(path)}`, `mount -o remount,bind,ro "$root"${quote(path)} 2>/dev/null || true`);
    };
    for (const folder of SYSTEM_FOLDERS) bind(folder, folder);
    for (const f of image.files) bind(f.host, f.path);
    const { uid, gid } = c.user;
    for (const m of c.mounts) {
        if (files[m.mountPath]) continue;
        lines.push(`mkdir -p "$root"${quote(m.mountPath)}`, `mount -t tmpfs -o mode=0755,uid=${uid},gid=${gid} emptydir "$root"${quote(m.mountPath)}`);
    }
    for (const [folder, content] of Object.entries(files)) {
        const host = join(dir, "files", folder.replace(/\//g, "_"));
        mkdirSync(host, { recursive: true });
        for (const [name, text] of Object.entries(content)) writeFileSync(join(host, name), text, { mode: 0o644 });
        bind(host, folder);
    }
    lines.push(`mkdir -p "$root"${quote(image.workdir)}`);
    // The root itself becomes read-only last (readOnlyRootFilesystem); the emptyDirs stay writable.
    lines.push('mount -o remount,ro "$root"');
    const command = c.command.length > 0 ? [...c.command, ...c.args] : [...image.defaultCommand, ...c.args];
    lines.push(`exec chroot --userspec=${uid}:${gid} "$root" env -C ${quote(image.workdir)} ${command.map(quote).join(" ")}`);
    const script = join(dir, "start.sh");
    writeFileSync(script, lines.join("\n") + "\n", { mode: 0o755 });
    if (process.getuid?.() !== 0) throw new Error("the0's processes run in a private mount namespace, which needs root (CI runs as root)");
    return start(podName, "unshare", ["--mount", "--propagation", "private", "sh", script], { ...image.env, ...c.env, ...opts.env, PATH: image.path });
}
