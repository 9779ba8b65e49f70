// A read-only view of the target cluster for the checks that must run before any object is
// registered (the provider only talks to the cluster once resources exist). It reads the kubeconfig
// the way the provider and kubectl do (KUBECONFIG, else ~/.kube/config; the stack's context, else the
// current one) and supports the credentials clusters hand out: client certificates, bearer tokens
// and exec plugins (EKS, GKE, AKS). Only GET requests; nothing here can change the cluster.
import { execFileSync } from "child_process";
import { existsSync, readFileSync } from "fs";
import * as http from "http";
import * as https from "https";
import { homedir } from "os";
import { dirname, isAbsolute, join } from "path";
import { parse } from "yaml";

/** What the checks read: a GET of an API path, parsed; undefined when the object or collection does not exist. */
export interface LiveCluster {
    /** Where the cluster is, for messages (the context's name and the server). */
    readonly describe: string;
    get(path: string): Promise<unknown>;
    /** A collection's items as metadata only (PartialObjectMetadataList: no Secret data leaves the server). */
    listMetadata(path: string): Promise<ObjectMetadata[] | undefined>;
}

/** The metadata fields the checks read. */
export interface ObjectMetadata {
    name: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    managers: string[];
}

interface KubeconfigFile {
    "current-context"?: string;
    contexts?: Array<{ name: string; context?: { cluster?: string; user?: string } }>;
    clusters?: Array<{ name: string; cluster?: Record<string, unknown> }>;
    users?: Array<{ name: string; user?: Record<string, unknown> }>;
}

/** Why the cluster cannot be read; the checks report it instead of guessing. */
export class ClusterUnreadable extends Error {}

function kubeconfigFiles(): string[] {
    const fromEnv = (process.env.KUBECONFIG ?? "").split(":").filter((f) => f !== "");
    const files = fromEnv.length > 0 ? fromEnv : [join(homedir(), ".kube", "config")];
    return files.filter((f) => existsSync(f));
}

/** kubectl's merge: the first file that names an entry (or the current context) wins. */
function firstNamed<T extends { name: string }>(docs: Array<{ file: string; doc: KubeconfigFile }>, pick: (d: KubeconfigFile) => T[] | undefined, name: string): { entry: T; file: string } | undefined {
    for (const { file, doc } of docs) {
        const entry = (pick(doc) ?? []).find((e) => e.name === name);
        if (entry) return { entry, file };
    }
    return undefined;
}

function readPath(base: string, path: unknown): Buffer | undefined {
    if (typeof path !== "string" || path === "") return undefined;
    return readFileSync(isAbsolute(path) ? path : join(dirname(base), path));
}

function fromData(data: unknown): Buffer | undefined {
    return typeof data === "string" && data !== "" ? Buffer.from(data, "base64") : undefined;
}

interface Credentials {
    cert?: Buffer;
    key?: Buffer;
    token?: string;
    basic?: string;
}

/** An exec plugin's ExecCredential (client.authentication.k8s.io), as kubectl runs it. */
function execCredentials(exec: Record<string, unknown>): Credentials {
    const command = String(exec.command ?? "");
    const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const e of (Array.isArray(exec.env) ? exec.env : []) as Array<{ name: string; value?: string }>) env[e.name] = String(e.value ?? "");
    env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: exec.apiVersion, kind: "ExecCredential", spec: { interactive: false } });
    let out: string;
    try {
        out = execFileSync(command, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
    } catch (e) {
        throw new ClusterUnreadable(`the kubeconfig's exec plugin ${command} failed: ${(e as Error).message.split("\n")[0]}`);
    }
    const status = (JSON.parse(out) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
    return {
        token: status.token,
        cert: status.clientCertificateData ? Buffer.from(status.clientCertificateData) : undefined,
        key: status.clientKeyData ? Buffer.from(status.clientKeyData) : undefined,
    };
}

function userCredentials(user: Record<string, unknown>, file: string): Credentials {
    if (user.exec && typeof user.exec === "object") return execCredentials(user.exec as Record<string, unknown>);
    if (user["auth-provider"]) throw new ClusterUnreadable("the kubeconfig's user uses an auth-provider, which this check does not support (use an exec plugin)");
    const tokenFile = readPath(file, user.tokenFile);
    return {
        cert: fromData(user["client-certificate-data"]) ?? readPath(file, user["client-certificate"]),
        key: fromData(user["client-key-data"]) ?? readPath(file, user["client-key"]),
        token: typeof user.token === "string" ? user.token : tokenFile?.toString().trim(),
        basic: typeof user.username === "string" ? Buffer.from(`${user.username}:${String(user.password ?? "")}`).toString("base64") : undefined,
    };
}

/** Where a pod finds its service account's token and the cluster's CA. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The cluster of `context` (empty: the kubeconfig's current context), read-only. With no kubeconfig
 * and no context named, inside a pod (the Pulumi Kubernetes Operator's workspace): the pod's own
 * service account, as the provider does. Throws ClusterUnreadable.
 */
export function liveCluster(context: string, serviceAccountDir = SERVICE_ACCOUNT_DIR): LiveCluster {
    const files = kubeconfigFiles();
    const host = process.env.KUBERNETES_SERVICE_HOST;
    if (files.length === 0 && context === "" && host && existsSync(join(serviceAccountDir, "token"))) {
        const server = new URL(`https://${host.includes(":") ? `[${host}]` : host}:${process.env.KUBERNETES_SERVICE_PORT ?? "443"}`);
        const token = readFileSync(join(serviceAccountDir, "token"), "utf8").trim();
        return clusterAt("in-cluster (the pod's service account)", server, { ca: readFileSync(join(serviceAccountDir, "ca.crt")) }, { Authorization: `Bearer ${token}` });
    }
    if (files.length === 0) throw new ClusterUnreadable("no kubeconfig (KUBECONFIG, ~/.kube/config)");
    const docs = files.map((file) => ({ file, doc: (parse(readFileSync(file, "utf8")) ?? {}) as KubeconfigFile }));
    const name = context !== "" ? context : docs.map((d) => d.doc["current-context"]).find((c) => c) ?? "";
    if (name === "") throw new ClusterUnreadable("the kubeconfig has no current context and the stack sets no kubeContext");
    const ctx = firstNamed(docs, (d) => d.contexts, name);
    if (!ctx) throw new ClusterUnreadable(`the kubeconfig has no context "${name}"`);
    const cluster = firstNamed(docs, (d) => d.clusters, ctx.entry.context?.cluster ?? "");
    if (!cluster?.entry.cluster?.server) throw new ClusterUnreadable(`the kubeconfig's context "${name}" names no cluster with a server`);
    const c = cluster.entry.cluster;
    const user = firstNamed(docs, (d) => d.users, ctx.entry.context?.user ?? "");
    const creds = user?.entry.user ? userCredentials(user.entry.user, user.file) : {};
    const server = new URL(String(c.server));
    const tls: https.RequestOptions = {
        ca: fromData(c["certificate-authority-data"]) ?? readPath(cluster.file, c["certificate-authority"]),
        cert: creds.cert,
        key: creds.key,
        rejectUnauthorized: c["insecure-skip-tls-verify"] !== true,
        servername: typeof c["tls-server-name"] === "string" ? c["tls-server-name"] : undefined,
    };
    const headers: Record<string, string> = {};
    if (creds.token) headers.Authorization = `Bearer ${creds.token}`;
    else if (creds.basic) headers.Authorization = `Basic ${creds.basic}`;

    return clusterAt(`context "${name}"`, server, tls, headers);
}

/** The read-only client of one API server: `where` names it in messages. */
function clusterAt(where: string, server: URL, tls: https.RequestOptions, headers: Record<string, string>): LiveCluster {
    const get = (path: string, accept = "application/json") => httpGet(server, { ...tls, headers: { ...headers, Accept: accept } }, path);
    return {
        describe: `${where} (${server.origin})`,
        get: (path) => get(path),
        async listMetadata(path) {
            const list = (await get(path, "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")) as { items?: RawMetadata[] } | undefined;
            if (list === undefined) return undefined;
            return (list.items ?? []).map((o) => ({
                name: o.metadata?.name ?? "",
                labels: o.metadata?.labels ?? {},
                annotations: o.metadata?.annotations ?? {},
                managers: (o.metadata?.managedFields ?? []).map((f) => f.manager ?? ""),
            }));
        },
    };
}

/** One GET: the parsed body, undefined on 404, ClusterUnreadable on anything else. */
function httpGet(server: URL, options: https.RequestOptions, path: string): Promise<unknown> {
    const request = { ...options, method: "GET", hostname: server.hostname, port: server.port || undefined, path: `${server.pathname.replace(/\/$/, "")}${path}`, timeout: 20_000 };
    return new Promise((resolve, reject) => {
        const req = (server.protocol === "http:" ? http : https).request(request, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (d: Buffer) => chunks.push(d));
            res.on("end", () => {
                const body = Buffer.concat(chunks).toString("utf8");
                if (res.statusCode === 404) return resolve(undefined);
                if (res.statusCode !== 200) return reject(new ClusterUnreadable(`GET ${path}: ${res.statusCode} ${statusMessage(body)}`));
                resolve(JSON.parse(body));
            });
        });
        req.on("timeout", () => req.destroy(new ClusterUnreadable(`GET ${path}: no answer from ${server.origin} in 20 s`)));
        req.on("error", (e) => reject(e instanceof ClusterUnreadable ? e : new ClusterUnreadable(`GET ${path}: ${e.message}`)));
        req.end();
    });
}

/** The API server's Status message, or the start of a body that is not one. */
function statusMessage(body: string): string {
    try {
        return (JSON.parse(body) as { message?: string }).message ?? body.slice(0, 200);
    } catch {
        return body.slice(0, 200);
    }
}

interface RawMetadata {
    metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; managedFields?: Array<{ manager?: string }> };
}
