// The app Secret: the0's key names, generated or configured values, encoding, existingSecret,
// and that no secret leaks into outputs or plain inputs.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { createHash } from "crypto";
import { encodeUserinfo } from "../components/data/connectionStrings";
import { build, buildStack, containsSecret, Model, T, unwrap, valueOf } from "../tools/render/render";

describe("app Secret", () => {
    let m: Model;
    before(async () => { m = await buildStack("dev"); });

    it("holds the0's keys plus the admin password and the NATS URL", () => {
        const keys = Object.keys(unwrap(m.object(T.Secret, "the0-secrets").inputs).stringData).sort();
        expect(keys).to.deep.equal([
            "admin-password", "database-url", "jwt-secret", "minio-access-key", "minio-secret-key",
            "mongo-url", "mongodb-root-password", "nats-url", "postgresql-password",
        ]);
    });

    it("registers stringData as a secret", () => {
        const secret = m.object(T.Secret, "the0-secrets");
        expect(containsSecret(secret.inputs.stringData)).to.equal(true);
    });

    it("generates every value nobody configured with @pulumi/random", () => {
        const generated = m.ofType(T.RandomPassword).map((r) => r.name).sort();
        expect(generated).to.deep.equal([
            "the0-secrets-jwtSecret", "the0-secrets-minioAccessKey", "the0-secrets-minioSecretKey", "the0-secrets-mongoRootPassword",
            "the0-secrets-postgresPassword", "the0-secrets-rootAdminPassword",
        ]);
        for (const r of m.ofType(T.RandomPassword)) expect(unwrap(r.inputs).length).to.be.at.least(20);
        const data = unwrap(m.object(T.Secret, "the0-secrets").inputs).stringData;
        expect(data["database-url"]).to.equal("postgresql://the0:generated-the0-secrets-postgresPassword@the0-postgres:5432/the0_oss?sslmode=disable");
        expect(data["mongo-url"]).to.equal("mongodb://root:generated-the0-secrets-mongoRootPassword@the0-mongo:27017");
        // No credentials: the0's api (nats.js) cannot send them.
        expect(data["nats-url"]).to.equal("nats://the0-nats:4222");
    });

    it("uses configured secrets and percent-encodes them in connection strings", async () => {
        const password = "p@ss:w/rd?#[]% x";
        const mm = await build({}, { secrets: { postgresPassword: password, mongoRootPassword: password } });
        const data = unwrap(mm.object(T.Secret, "the0-secrets").inputs).stringData;
        expect(data["postgresql-password"]).to.equal(password);
        expect(data["database-url"]).to.equal(`postgresql://the0:${encodeURIComponent(password)}@the0-postgres:5432/the0_oss?sslmode=disable`);
        expect(data["mongo-url"]).to.equal("mongodb://root:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%20x@the0-mongo:27017");
        expect(mm.ofType(T.RandomPassword).map((r) => r.name)).to.not.include("the0-secrets-postgresPassword");
    });

    it("encodes every character the0's encodeUserinfo does", () => {
        for (const ch of ["%", " ", "/", "?", "#", "[", "]", "@", ":"]) {
            expect(encodeUserinfo(`a${ch}b`)).to.not.include(ch === "%" ? "a%b" : ch);
        }
    });

    it("builds external connection strings from host, user and password", async () => {
        const mm = await build(
            {
                postgres: JSON.stringify({ mode: "external", user: "app", database: "the0", external: { host: "db.example.com", sslmode: "verify-full" } }),
                mongo: JSON.stringify({ mode: "external", external: { host: "mongo.example.com", user: "bots", options: "tls=true" } }),
            },
            { secrets: { postgresPassword: "pw/1", mongoRootPassword: "pw@2" } },
        );
        const data = unwrap(mm.object(T.Secret, "the0-secrets").inputs).stringData;
        expect(data["database-url"]).to.equal("postgresql://app:pw%2F1@db.example.com:5432/the0?sslmode=verify-full");
        expect(data["mongo-url"]).to.equal("mongodb://bots:pw%402@mongo.example.com:27017/bot_runner?authSource=admin&tls=true");
    });

    it("skips the Secret and references an existing one", async () => {
        const mm = await build({ existingSecret: "the0-prod-secrets" });
        expect(mm.ofType(T.Secret)).to.have.length(0);
        expect(mm.ofType(T.RandomPassword)).to.have.length(0);
        expect(mm.env(T.Deployment, "the0-api").DATABASE_URL).to.deep.equal({ secretKeyRef: { name: "the0-prod-secrets", key: "database-url" } });
        expect(mm.env(T.StatefulSet, "the0-postgres").POSTGRES_PASSWORD.secretKeyRef.name).to.equal("the0-prod-secrets");
    });

    it("puts no secret in outputs, component props or plain inputs", async () => {
        const mm = await build({}, { secrets: { jwtSecret: "jwt-value-that-must-not-leak-42", rootAdminPassword: "admin-value-must-not-leak" } });
        const leaks = ["jwt-value-that-must-not-leak-42", "admin-value-must-not-leak"];
        for (const r of mm.resources) {
            if (r.type === T.Secret) continue;
            const text = JSON.stringify(r.inputs);
            for (const leak of leaks) expect(text, `${r.type} ${r.name}`).to.not.include(leak);
        }
        for (const r of mm.resources.filter((x) => !x.custom)) expect(r.inputs, r.type).to.deep.equal({});
        const outputs = [await valueOf(mm.platform.outputs.namespace), mm.platform.outputs.urls, mm.platform.outputs.endpoints, mm.platform.outputs.hostnames];
        for (const leak of leaks) expect(JSON.stringify(outputs)).to.not.include(leak);
        expect(await pulumi.isSecret(mm.platform.outputs.namespace)).to.equal(false);
    });

    it("rolls pods on the Secret's revision: no annotation is derived from a value, and every reader rolls", async () => {
        const values = { jwtSecret: "Summer2026!", rootAdminPassword: "Summer2026!", postgresPassword: "Summer2026", mongoRootPassword: "Summer2026", minioSecretKey: "Summer2026-minio-secret" };
        const mm = await build({ redis: JSON.stringify({ enabled: true }) }, { secrets: values });
        const secretData: Record<string, string> = unwrap(mm.object(T.Secret, "the0-secrets").inputs).stringData;
        // Every value, alone and as the old checksum combined them, under the usual digests and encodings.
        const candidates = new Set<string>();
        const digests = (text: string) => {
            for (const algo of ["md5", "sha1", "sha256", "sha512"]) {
                const h = createHash(algo).update(text);
                const d = h.copy().digest("hex");
                candidates.add(d).add(h.digest("base64"));
            }
            candidates.add(Buffer.from(text).toString("base64")).add(text);
        };
        for (const [key, value] of Object.entries(secretData)) {
            digests(value);
            digests(JSON.stringify([[key, value]]));
        }
        let annotated = 0;
        for (const r of mm.resources) {
            const spec = unwrap(r.inputs).spec;
            const template = spec?.template ?? spec?.jobTemplate?.spec?.template;
            for (const value of Object.values<string>(template?.metadata?.annotations ?? {})) {
                annotated++;
                expect(candidates.has(value), `${r.type} ${r.name}`).to.equal(false);
            }
        }
        expect(annotated).to.be.greaterThan(0);
        const revision = (type: string, name: string) => mm.spec(type, name).template.metadata.annotations?.["the0.app/secret-revision"];
        const secretRevision = revision(T.Deployment, "the0-api");
        expect(secretRevision).to.match(/^\d+$/);
        expect(revision(T.StatefulSet, "the0-minio")).to.equal(secretRevision);
        expect(revision(T.StatefulSet, "the0-redis")).to.equal(secretRevision);
        // PostgreSQL applies a new password at start (postStart hook), MongoDB before it (init container).
        expect(revision(T.StatefulSet, "the0-postgres")).to.equal(secretRevision);
        expect(revision(T.StatefulSet, "the0-mongo")).to.equal(secretRevision);
        expect(revision(T.Deployment, "the0-frontend")).to.equal(secretRevision);
        expect(revision(T.Deployment, "the0-docs")).to.equal(undefined);
    });
});
