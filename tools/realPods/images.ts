// the0's images as this machine has them: built from the0's release source by the toolchain
// (tools/offline-k8s/offline-k8s.sh build the0), each laid out like the image (its files at the
// image's paths) with the image's working directory, user and command read from the final stage of
// the Dockerfile the image is built from.
import { readFileSync } from "fs";
import { join } from "path";
import { ImageLayout } from "./sandbox";

/** The final stage of a Dockerfile: WORKDIR, USER, CMD and ENV as the image records them. */
export interface ImageConfig {
    workdir: string;
    user: { uid: number; gid: number };
    cmd: string[];
    env: Record<string, string>;
}

export function finalStage(dockerfile: string): ImageConfig {
    const lines = dockerfile.split("\n").map((l) => l.trim());
    const from = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
    const stage = lines.slice(from);
    const last = (instruction: string) => stage.filter((l) => l.toUpperCase().startsWith(`${instruction} `)).pop()?.slice(instruction.length + 1).trim();
    const workdir = last("WORKDIR") ?? "/";
    const [uid, gid] = (last("USER") ?? "0:0").split(":").map(Number);
    const cmd = last("CMD");
    // ENV key=value (one per line here), quotes removed.
    const env: Record<string, string> = {};
    for (const l of stage.filter((x) => /^ENV\s/i.test(x))) {
        const m = /^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/i.exec(l);
        if (m) env[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
    }
    return { workdir, user: { uid, gid: gid ?? uid }, cmd: cmd ? (JSON.parse(cmd) as string[]) : [], env };
}

function imageDir(variable: string): string {
    const dir = process.env[variable];
    if (!dir) throw new Error(`${variable} is not set: run the suite with \`npm run test:the0\` (it builds the0 from source into the cache)`);
    return dir;
}

/** node:20's PATH (the api image's base). */
const NODE_IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** An image of the0 on node:20 (node in /usr/local/bin): its /app as the toolchain laid it out, its Dockerfile's last stage. */
function nodeImage(name: string, dirVariable: string): ImageLayout & { config: ImageConfig } {
    const dir = imageDir(dirVariable);
    const config = finalStage(readFileSync(join(dir, "Dockerfile"), "utf8"));
    return {
        name,
        config,
        files: [
            { host: join(dir, "app"), path: "/app" },
            { host: imageDir("THE0_NODE20_BIN"), path: "/usr/local/bin" },
        ],
        workdir: config.workdir,
        defaultCommand: config.cmd,
        path: NODE_IMAGE_PATH,
        env: config.env,
    };
}

/** The api image (api/Dockerfile): /app with dist/, node_modules/ and uploads/. */
export function apiImage(): ImageLayout & { config: ImageConfig } {
    return nodeImage("api", "THE0_API_IMAGE_DIR");
}

/** The frontend image (frontend/Dockerfile): Next.js's standalone server in /app. */
export function frontendImage(): ImageLayout & { config: ImageConfig } {
    return nodeImage("frontend", "THE0_FRONTEND_IMAGE_DIR");
}

/** The runtime image (runtime/Dockerfile): the Go binary at /app/runtime, working directory /bot. */
export function runtimeImage(): ImageLayout & { config: ImageConfig } {
    const dir = imageDir("THE0_RUNTIME_IMAGE_DIR");
    const config = finalStage(readFileSync(join(dir, "Dockerfile"), "utf8"));
    return {
        name: "runtime",
        config,
        files: [{ host: join(dir, "app"), path: "/app" }],
        workdir: config.workdir,
        defaultCommand: config.cmd,
        path: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        env: config.env,
    };
}
