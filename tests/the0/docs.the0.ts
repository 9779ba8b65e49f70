// the0's docs image is not run here: it is a VitePress site served by the hardened nginx base image
// (dhi.io/nginx), whose own nginx.conf is not in the0's source and cannot be pulled. What the
// program relies on is read from the0's source instead: the server block the image installs
// (docs/nginx.conf) listens on the rendered container port and answers the rendered probe path
// with 200 itself, whatever the site holds.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { join } from "path";
import { fullName } from "../../components/k8s/meta";
import { renderStack } from "../../tools/realPods/render";

function the0Source(path: string): string {
    const tarball = process.env.THE0_SOURCE_TARBALL_PATH ?? join(__dirname, "..", "..", "..", "shared", "peers", "the0-src", "the0-1.14.0.tar.gz");
    return execFileSync("tar", ["-xzOf", tarball, `the0-1.14.0/${path}`], { encoding: "utf8" });
}

describe("the0's docs image against the dev stack's rendering (read from the0's source, not run)", () => {
    it("its nginx server block listens on the rendered port and answers the rendered probe path with 200", async () => {
        const r = await renderStack("dev");
        const c = r.container("Deployment", fullName(r.config, "docs"));
        const conf = the0Source("docs/nginx.conf");
        const port = c.ports.find((p) => p.name === "http")!.containerPort;
        expect(conf).to.match(new RegExp(`listen ${port};`));
        for (const probe of [c.probes.liveness!, c.probes.readiness!]) {
            const block = new RegExp(`location ${probe.httpGet!.path} \\{[^}]*return 200`);
            expect(conf, probe.httpGet!.path).to.match(block);
        }
        expect(the0Source("docs/Dockerfile")).to.include("COPY nginx.conf /etc/nginx/conf.d/default.conf");
    });
});
