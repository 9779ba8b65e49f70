// End-to-end: the GitOps example (docs/gitops/pulumi-operator-stack.yaml) on the local control plane,
// as far as an offline machine allows. The Pulumi Kubernetes Operator's Stack CRD is applied with the
// other CRDs (tools/offline-k8s: its module's deploy/crds/); the API server accepts the example as a
// valid Stack and refuses one its schema does not allow. The operator itself does not run here: it
// needs the repository and the state backend over the network.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { parse, stringify } from "yaml";
import { kubectl, kubectlJson, ROOT } from "../../tools/localStack/localStack";

const EXAMPLE = join(ROOT, "docs", "gitops", "pulumi-operator-stack.yaml");
const NS = "e2e-pulumi-operator";

describe("end-to-end: the Pulumi Kubernetes Operator Stack example", function () {
    this.timeout(120_000);
    const example = parse(readFileSync(EXAMPLE, "utf8"));
    const apply = (doc: unknown) => spawnSync("kubectl", ["apply", "-f", "-"], { input: stringify(doc), encoding: "utf8" });

    before(() => {
        kubectl("create", "namespace", NS);
    });
    after(() => {
        spawnSync("kubectl", ["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
    });

    it("the Stack CRD is in the cluster, serving pulumi.com/v1", () => {
        const crd = kubectlJson<{ spec: { versions: Array<{ name: string; served: boolean }> } }>("get", "crd", "stacks.pulumi.com");
        expect(crd.spec.versions.filter((v) => v.served).map((v) => v.name)).to.include("v1");
    });

    it("the example is accepted as a valid Stack, every field as written", () => {
        const doc = { ...example, metadata: { ...example.metadata, namespace: NS } };
        const r = apply(doc);
        expect(r.status, r.stderr).to.equal(0);
        const stored = kubectlJson<{ spec: Record<string, unknown> }>("get", "stacks.pulumi.com", example.metadata.name, "-n", NS);
        // Nothing was pruned as unknown: the schema knows every field the example sets.
        expect(stored.spec).to.deep.equal(example.spec);
    });

    it("a Stack the schema does not allow is refused (the CRD validates, it does not just store)", () => {
        const { stack: _stack, ...withoutStack } = example.spec;
        const r = apply({ ...example, metadata: { name: "invalid", namespace: NS }, spec: { ...withoutStack, refresh: "yes" } });
        expect(r.status).to.not.equal(0);
        expect(r.stderr).to.match(/spec\.stack: Required value|spec\.refresh: Invalid value/);
        expect(execFileSync("kubectl", ["get", "stacks.pulumi.com", "-n", NS, "-o", "name"], { encoding: "utf8" }).trim()).to.equal(`stack.pulumi.com/${example.metadata.name}`);
    });
});
