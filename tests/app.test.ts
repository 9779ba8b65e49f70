// The app tier built from the catalog: workloads, Services, probes, RBAC, gc CronJob, extras.
import { expect } from "chai";
import { catalogEntry } from "../components/model/catalog";
import { build, buildStack, cloudValues, mockDelays, Model, podSpecOf, T, unwrap } from "../tools/render/render";

describe("app tier", () => {
    let m: Model;
    before(async () => { m = await buildStack("dev"); });

    it("runs the0's api with its ports, probes and writable paths", () => {
        const c = m.container(T.Deployment, "the0-api");
        expect(c.image).to.equal("ghcr.io/alexanderwanyoike/the0/api:1.14.0");
        expect(c.ports).to.deep.equal([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
        expect(c.livenessProbe).to.deep.include({ httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 60, periodSeconds: 30, timeoutSeconds: 10 });
        expect(c.readinessProbe).to.deep.include({ httpGet: { path: "/health/ready", port: "http" }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 });
        expect(c.volumeMounts.map((v: any) => v.mountPath)).to.deep.equal(["/app/uploads", "/tmp"]);
        const pod = m.deployment("the0-api").template.spec;
        expect(pod.volumes).to.deep.equal([{ name: "app-uploads", emptyDir: {} }, { name: "tmp", emptyDir: {} }]);
        expect(pod.automountServiceAccountToken).to.equal(false);
    });

    it("wires the api's environment from the Secret, the data tier and the real names", () => {
        const env = m.env(T.Deployment, "the0-api");
        expect(env.DATABASE_URL).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "database-url" } });
        expect(env.NATS_URLS).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "nats-url" } });
        expect(env.JWT_SECRET).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "jwt-secret" } });
        expect(env.THE0_ADMIN_PASSWORD).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "admin-password" } });
        expect(env.MINIO_ENDPOINT).to.equal("the0-minio");
        expect(env.MINIO_PORT).to.equal("9000");
        expect(env.MINIO_USE_SSL).to.equal("false");
        expect(env.RUNTIME_QUERY_URL).to.equal("http://the0-bot-controller:9477");
        expect(env.DATABASE_TYPE).to.equal("postgres");
        expect(env.CUSTOM_BOTS_BUCKET).to.equal("custom-bots");
    });

    it("points the frontend at the api service", () => {
        const env = m.env(T.Deployment, "the0-frontend");
        expect(env.BOT_API_URL).to.equal("http://the0-api:3000");
        expect(env.JWT_SECRET).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "jwt-secret" } });
        expect(env.HOSTNAME).to.equal("0.0.0.0");
        expect(m.container(T.Deployment, "the0-frontend").readinessProbe.httpGet).to.deep.equal({ path: "/", port: "http" });
    });

    it("runs docs as uid 65532 with nginx's writable paths", () => {
        const pod = m.deployment("the0-docs").template.spec;
        expect(pod.securityContext).to.include({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
        expect(pod.containers[0].volumeMounts.map((v: any) => v.mountPath)).to.deep.equal(["/var/cache/nginx", "/var/run", "/tmp"]);
        expect(m.spec(T.Service, "the0-docs").ports).to.deep.equal([{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
    });

    it("runs one bot-controller with its runtime arguments and service account", () => {
        const d = m.deployment("the0-bot-controller");
        expect(d.replicas).to.equal(1);
        expect(d.strategy).to.deep.equal({ type: "Recreate" });
        const pod = d.template.spec;
        expect(pod.serviceAccountName).to.equal("the0-bot-controller");
        expect(pod.automountServiceAccountToken).to.equal(true);
        const c = pod.containers[0];
        expect(c.command).to.deep.equal(["/app/runtime", "controller"]);
        expect(c.args).to.deep.equal([
            "--namespace=the0",
            "--reconcile-interval=30s",
            "--minio-endpoint=the0-minio:9000",
            "--minio-bucket=custom-bots",
            "--runtime-image=ghcr.io/alexanderwanyoike/the0/runtime:1.14.0",
            "--runtime-image-pull-policy=IfNotPresent",
        ]);
        const env = m.env(T.Deployment, "the0-bot-controller");
        expect(env.MONGO_URI).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "mongo-url" } });
        expect(env.NATS_URL).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "nats-url" } });
        expect(env.NAMESPACE).to.equal("the0");
        expect(env.MINIO_ENDPOINT).to.equal("the0-minio:9000");
        // Only the query port is a Service port; health stays pod-local.
        expect(m.spec(T.Service, "the0-bot-controller").ports).to.deep.equal([{ name: "query", port: 9477, targetPort: "query", protocol: "TCP" }]);
    });

    it("grants the bot-controller its catalog Role rules (the contract suite holds them to the0's chart)", () => {
        expect(unwrap(m.object(T.Role, "the0-bot-controller").inputs).rules).to.deep.equal(catalogEntry("botController").rbac);
        const binding = unwrap(m.object(T.RoleBinding, "the0-bot-controller").inputs);
        expect(binding.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "the0-bot-controller" });
        expect(binding.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "the0-bot-controller", namespace: "the0" }]);
        // The only role that may write is the bot-controller's; the preview reader's roles only read.
        const others = [...m.ofType(T.Role), ...m.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")].filter((r) => unwrap(r.inputs).metadata.name !== "the0-bot-controller");
        for (const r of others) for (const rule of unwrap(r.inputs).rules) expect(rule.verbs, r.name).to.satisfy((v: string[]) => v.every((x) => ["get", "list", "watch"].includes(x)));
    });

    it("schedules gc as the0's CronJob, hardened", () => {
        const spec = m.spec(T.CronJob, "the0-gc");
        expect(spec).to.include({ schedule: "*/5 * * * *", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
        expect(spec.jobTemplate.spec.ttlSecondsAfterFinished).to.equal(300);
        const pod = podSpecOf(T.CronJob, spec);
        expect(pod.restartPolicy).to.equal("OnFailure");
        expect(pod.containers[0].command).to.deep.equal(["/app/runtime", "gc"]);
        expect(pod.containers[0].resources).to.deep.equal({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } });
        expect(pod.containers[0].securityContext.readOnlyRootFilesystem).to.equal(true);
        expect(m.env(T.CronJob, "the0-gc").MONGO_URI).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "mongo-url" } });
    });

    it("creates the buckets the gc lists before each run (the0 makes them only when a bot first writes)", () => {
        const pod = podSpecOf(T.CronJob, m.spec(T.CronJob, "the0-gc"));
        expect(pod.initContainers.map((c: any) => c.name)).to.deep.equal(["buckets"]);
        const init = pod.initContainers[0];
        expect(init.image).to.equal("quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z");
        expect(init.command.slice(0, 2)).to.deep.equal(["/bin/sh", "-c"]);
        const env = Object.fromEntries(init.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        expect(env).to.deep.equal({
            MINIO_URL: "http://the0-minio:9000",
            MINIO_ACCESS_KEY: { secretKeyRef: { name: "the0-secrets", key: "minio-access-key" } },
            MINIO_SECRET_KEY: { secretKeyRef: { name: "the0-secrets", key: "minio-secret-key" } },
            BUCKETS: "bot-logs bot-state",
        });
        expect(init.securityContext.readOnlyRootFilesystem).to.equal(true);
        expect(init.volumeMounts.map((v: any) => v.mountPath)).to.deep.equal(["/tmp"]);
    });

    it("leaves the design doc's extras off until they get an image", () => {
        expect(m.has(T.Deployment, "the0-security-analyzer")).to.equal(false);
        expect(m.has(T.Deployment, "the0-ai-agent")).to.equal(false);
    });

    it("rolls exactly the pods that read the Secret when it is written, with nothing derived from a value", async () => {
        const revision = (mm: Model, name: string) => mm.deployment(name).template.metadata.annotations?.["the0.app/secret-revision"];
        const a = await build({}, { secrets: { jwtSecret: "one-jwt-secret-value-0123456789" } });
        const same = await build({}, { secrets: { jwtSecret: "one-jwt-secret-value-0123456789" } });
        const b = await build({}, { secrets: { jwtSecret: "another-jwt-secret-value-987654" } });
        expect(revision(a, "the0-api")).to.be.a("string").and.not.equal("");
        expect(revision(same, "the0-api")).to.equal(revision(a, "the0-api"));
        expect(revision(b, "the0-api")).to.not.equal(revision(a, "the0-api"));
        // docs reads no secret: no annotation, so it never rolls for the Secret.
        expect(revision(a, "the0-docs")).to.equal(undefined);
    });
});

describe("app tier options", () => {
    it("enables an extra service with its catalog wiring once it has an image", async () => {
        const m = await build({
            apps: JSON.stringify({ aiAgent: { image: "ghcr.io/example/ai-agent:0.3.1" } }),
            redis: JSON.stringify({ enabled: true }),
        });
        const c = m.container(T.Deployment, "the0-ai-agent");
        expect(c.image).to.equal("ghcr.io/example/ai-agent:0.3.1");
        expect(c.ports[0].containerPort).to.equal(8000);
        const env = m.env(T.Deployment, "the0-ai-agent");
        expect(env.DOCS_ENDPOINT).to.equal("http://the0-docs:8080");
        expect(env.REDIS_URL).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "redis-url" } });
        expect(m.has(T.Service, "the0-ai-agent")).to.equal(true);
    });

    it("derives every URL from the instance name and domain", async () => {
        const m = await build({ instanceName: "acme", namespace: "trading", domain: "acme.local" });
        const env = m.env(T.Deployment, "acme-api");
        expect(env.RUNTIME_QUERY_URL).to.equal("http://acme-bot-controller:9477");
        expect(env.FRONTEND_URL).to.equal("http://acme.local:30001");
        expect(m.env(T.Deployment, "acme-frontend").BOT_API_URL).to.equal("http://acme-api:3000");
        expect(m.container(T.Deployment, "acme-bot-controller").args[0]).to.equal("--namespace=trading");
    });

    it("uses Ingress URLs on cloud stacks", async () => {
        const m = await build(cloudValues());
        const env = m.env(T.Deployment, "the0-api");
        expect(env.FRONTEND_URL).to.equal("https://the0.example.com");
        // Variables the0 1.14 does not read are not set (tests/contract/chart-differences.yaml).
        expect(env).not.to.have.any.keys("API_BASE_URL", "MINIO_EXTERNAL_ENDPOINT", "STORAGE_PATH");
    });

    it("can turn the gc CronJob and docs off", async () => {
        const m = await build({ apps: JSON.stringify({ gc: { enabled: false }, docs: { enabled: false } }) });
        expect(m.ofType(T.CronJob)).to.have.length(0);
        expect(m.has(T.Deployment, "the0-docs")).to.equal(false);
        expect(m.platform.outputs.endpoints).to.not.have.property("docs");
        expect(m.ofType(T.Ingress).map((i) => unwrap(i.inputs).metadata.name).sort()).to.deep.equal(["the0-api", "the0-frontend"]);
    });
});

describe("app tier ordering", () => {
    it("generates the passwords while the namespace is created; the Secret waits for the namespace", async () => {
        mockDelays[T.Namespace] = 60;
        try {
            const m = await build({});
            const namespace = m.ofType(T.Namespace)[0];
            for (const password of m.ofType(T.RandomPassword)) expect(password.seen, password.name).to.be.lessThan(namespace.done);
            expect(m.object(T.Secret, "the0-secrets").seen).to.be.greaterThan(namespace.done);
        } finally {
            delete mockDelays[T.Namespace];
        }
    });

    it("starts NATS beside the Secret (it reads nothing from it), the data services that read it after it", async () => {
        mockDelays[T.Secret] = 60;
        try {
            const m = await build({});
            const secret = m.object(T.Secret, "the0-secrets");
            expect(m.object(T.StatefulSet, "the0-nats").seen).to.be.lessThan(secret.done);
            for (const sts of ["the0-postgres", "the0-mongo", "the0-minio"]) expect(m.object(T.StatefulSet, sts).seen, sts).to.be.greaterThan(secret.done);
        } finally {
            delete mockDelays[T.Secret];
        }
    });

    it("starts each service after the StatefulSets it declares, not after their Services", async () => {
        mockDelays[T.StatefulSet] = 40;
        mockDelays[T.Service] = 400;
        try {
            const m = await build({});
            const sts = (name: string) => m.object(T.StatefulSet, name);
            const api = m.object(T.Deployment, "the0-api");
            for (const dep of ["the0-postgres", "the0-nats", "the0-minio"]) expect(api.seen, dep).to.be.greaterThan(sts(dep).done);
            expect(api.seen).to.be.lessThan(m.object(T.Service, "the0-postgres").done);
            const controller = m.object(T.Deployment, "the0-bot-controller");
            expect(controller.seen).to.be.greaterThan(sts("the0-mongo").done);
            // docs declares no dependency and does not wait.
            expect(m.object(T.Deployment, "the0-docs").seen).to.be.lessThan(sts("the0-postgres").done);
        } finally {
            delete mockDelays[T.StatefulSet];
            delete mockDelays[T.Service];
        }
    });
});
