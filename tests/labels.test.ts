// app.kubernetes.io/version: the0's release on its own workloads, the image tag on data services,
// and never in a selector or a volume claim template (immutable: a version change must update in place).
import { expect } from "chai";
import { versionOf } from "../components/k8s/meta";
import { build, buildStack, Model, T, unwrap } from "../tools/render/render";

const VERSION = "app.kubernetes.io/version";

describe("app.kubernetes.io/version", () => {
    let m: Model;
    before(async () => { m = await buildStack("staging"); });

    it("is the0's release on the0's workloads and their pods", () => {
        for (const [type, name] of [[T.Deployment, "the0-api"], [T.Deployment, "the0-bot-controller"], [T.CronJob, "the0-gc"]] as const) {
            const o = unwrap(m.object(type, name).inputs);
            expect(o.metadata.labels[VERSION], name).to.equal("1.14.0");
            const template = type === T.CronJob ? o.spec.jobTemplate.spec.template : o.spec.template;
            expect(template.metadata.labels[VERSION], name).to.equal("1.14.0");
        }
    });

    it("is the image tag on data services, MinIO's release included", () => {
        expect(unwrap(m.object(T.StatefulSet, "the0-postgres").inputs).metadata.labels[VERSION]).to.equal("15.13-alpine");
        expect(unwrap(m.object(T.StatefulSet, "the0-nats").inputs).metadata.labels[VERSION]).to.equal("2.14.10-alpine");
        expect(unwrap(m.object(T.StatefulSet, "the0-minio").inputs).metadata.labels[VERSION]).to.equal("RELEASE.2025-09-07T16-13-09Z");
    });

    it("stays out of every selector and volume claim template", () => {
        for (const type of [T.Deployment, T.StatefulSet]) {
            for (const r of m.ofType(type)) {
                const spec = unwrap(r.inputs).spec;
                expect(spec.selector.matchLabels, r.name).to.not.have.property(VERSION);
                for (const vct of spec.volumeClaimTemplates ?? []) expect(vct.metadata.labels, r.name).to.not.have.property(VERSION);
            }
        }
        for (const r of m.ofType(T.Service)) expect(unwrap(r.inputs).spec.selector ?? {}, r.name).to.not.have.property(VERSION);
    });

    it("follows an image override, and is left out for a digest-only image", async () => {
        const mm = await build({ apps: JSON.stringify({ api: { image: "registry.example.com:5000/the0/api:1.15.0-rc.1" }, frontend: { image: `ghcr.io/x/frontend@sha256:${"a".repeat(64)}` } }) });
        expect(versionOf(mm.config, "api")).to.equal("1.15.0-rc.1");
        expect(versionOf(mm.config, "frontend")).to.equal(undefined);
        expect(unwrap(mm.object(T.Deployment, "the0-frontend").inputs).metadata.labels).to.not.have.property(VERSION);
    });
});
