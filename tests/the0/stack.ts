// What each suite of tests/the0 starts from: a committed stack rendered by the program, the
// contract suite's real servers started from that rendering, and the stack's namespace with its
// rendered ServiceAccounts, Roles, RoleBindings and NetworkPolicies applied fresh on the local
// control plane (which the bot-controller and the smoke Job need).
import { fullName } from "../../components/k8s/meta";
import { podSpecOf } from "../../tools/render/render";
import { Loopback, stopAll } from "../../tools/realPods/process";
import { renderStack, RenderedStack } from "../../tools/realPods/render";
import { RunningPod, startMinio, startMongo, startNats, startPostgres } from "../../tools/realPods/servers";
import { applyRendered, deleteNamespace } from "./cluster";
import { CONTROLLER_QUERY_PORT } from "../../tools/realPods/the0";

export interface StackUnderTest {
    r: RenderedStack;
    lb: Loopback;
    namespace: string;
    postgres: RunningPod;
    /** The ServiceAccount the rendered bot-controller Deployment runs as. */
    controllerAccount: string;
}

export async function startStack(stack: string, opts: { cluster: boolean }): Promise<StackUnderTest> {
    const r = await renderStack(stack);
    const lb = new Loopback();
    const namespace = r.config.kubernetes.namespace;
    if (opts.cluster) {
        deleteNamespace(namespace);
        applyRendered(r);
    }
    await startNats(r, lb);
    const postgres = await startPostgres(r, lb);
    await startMinio(r, lb);
    if (opts.cluster) await startMongo(r, lb);
    // The api's RUNTIME_QUERY_URL names the bot-controller's query Service; the runtime hard-codes the port.
    lb.alias(fullName(r.config, "bot-controller"), CONTROLLER_QUERY_PORT, CONTROLLER_QUERY_PORT);
    const controllerAccount = podSpecOf("Deployment", r.model.deployment(fullName(r.config, "bot-controller"))).serviceAccountName;
    return { r, lb, namespace, postgres, controllerAccount };
}

/** Stops every process the suite started and, when it used the cluster, removes the namespace. */
export async function stopStack(s: StackUnderTest | undefined, opts: { cluster: boolean }): Promise<void> {
    await stopAll();
    if (s && opts.cluster) deleteNamespace(s.namespace);
}
