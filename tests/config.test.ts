// The config resolver: profile defaults, stack overrides, and every validation rule.
import { expect } from "chai";
import { cronProblem } from "../components/config/cron";
import { resolveConfig } from "../components/config/resolve";
import { natsUrlProblems } from "../components/config/secretRules";
import { ConfigError, Problem } from "../components/config/validate";
import { cloudValues, committedStackSecrets, handSetSecrets, PROJECT, stackInitSecrets, stackValues } from "../tools/render/render";

function resolve(values: Record<string, string>, secretsProvided: string[] = []) {
    return resolveConfig({ project: PROJECT, stack: "test", values, secretsProvided });
}

function problemsOf(values: Record<string, string>, secretsProvided: string[] = []): Problem[] {
    try {
        resolve(values, secretsProvided);
    } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
    }
    throw new Error("expected a ConfigError");
}

/** Asserts exactly one problem for `key`, whose text mentions `allowed`. */
function expectProblem(values: Record<string, string>, key: string, allowed: string | RegExp, secretsProvided: string[] = []): void {
    const problems = problemsOf(values, secretsProvided);
    const mine = problems.filter((p) => p.key === `${PROJECT}:${key}`);
    expect(mine, `problems: ${JSON.stringify(problems)}`).to.have.length(1);
    if (typeof allowed === "string") expect(mine[0].allowed).to.include(allowed);
    else expect(mine[0].allowed).to.match(allowed);
}

const obj = (o: unknown) => JSON.stringify(o);

describe("config: profiles and overrides", () => {
    it("minikube profile supplies the0's defaults", () => {
        const c = resolve({});
        expect(c.profile).to.equal("minikube");
        expect(c.domain).to.equal("the0.local");
        expect(c.kubernetes.namespace).to.equal("the0");
        expect(c.imagePullPolicy).to.equal("IfNotPresent");
        expect(c.apps.api.image).to.equal("ghcr.io/alexanderwanyoike/the0/api:1.14.0");
        expect(c.apps.botController.image).to.equal("ghcr.io/alexanderwanyoike/the0/runtime:1.14.0");
        expect(c.apps.api.resources).to.deep.equal({ requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } });
        expect(c.postgres).to.include({ storageSize: "10Gi", storageClass: "standard" });
        expect(c.objectStorage.storageSize).to.equal("20Gi");
        expect(c.nats.storageSize).to.equal("5Gi");
        expect(c.objectStorage.image).to.equal("quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z");
        expect(c.apps.securityAnalyzer.enabled).to.equal(false);
        expect(c.apps.aiAgent.enabled).to.equal(false);
        expect(c.redis.enabled).to.equal(false);
    });

    it("cloud profile replicates and spreads", () => {
        const c = resolve(cloudValues());
        expect(c.apps.api.replicas).to.equal(2);
        expect(c.apps.api.autoscaling).to.include({ enabled: true, minReplicas: 2, maxReplicas: 10 });
        expect(c.nats.replicas).to.equal(3);
        expect(c.objectStorage).to.include({ mode: "distributed", replicas: 4 });
        expect(c.ha).to.deep.equal({ disruptionBudgets: true, spreadAcrossNodes: true });
        expect(c.ingress.hosts).to.deep.equal({ frontend: "the0.example.com", api: "api.the0.example.com", docs: "docs.the0.example.com" });
    });

    it("stack keys override profile defaults field by field", () => {
        const c = resolve({
            version: "1.15.0",
            apps: obj({ api: { replicas: 3, resources: { limits: { memory: "2Gi" } } } }),
            nats: obj({ replicas: 3, memoryStoreSize: "256Mi" }),
            storageClass: "fast",
            postgres: obj({ storageSize: "20Gi" }),
        });
        expect(c.apps.api.replicas).to.equal(3);
        expect(c.apps.api.resources.limits).to.deep.equal({ cpu: "1000m", memory: "2Gi" });
        expect(c.apps.api.resources.requests).to.deep.equal({ cpu: "200m", memory: "512Mi" });
        expect(c.apps.frontend.image).to.equal("ghcr.io/alexanderwanyoike/the0/frontend:1.15.0");
        expect(c.nats.replicas).to.equal(3);
        expect(c.postgres).to.include({ storageSize: "20Gi", storageClass: "fast" });
        expect(c.mongo.storageClass).to.equal("fast");
    });

    it("an extra service turns on when it is given an image", () => {
        const c = resolve({ apps: obj({ aiAgent: { image: "ghcr.io/example/ai-agent:0.3.1" } }) });
        expect(c.apps.aiAgent.enabled).to.equal(true);
        expect(c.apps.securityAnalyzer.enabled).to.equal(false);
    });

    it("the result is frozen", () => {
        const c = resolve({});
        expect(Object.isFrozen(c)).to.equal(true);
        expect(Object.isFrozen(c.apps.api.resources.limits)).to.equal(true);
        expect(() => { (c as { domain: string }).domain = "x"; }).to.throw(TypeError);
    });

    it("every committed stack file resolves, once stack:init has set a protected stack's data-bound credentials and the user an external store's keys", () => {
        for (const stack of ["dev", "staging", "production"]) {
            expect(() => resolve(stackValues(stack), Object.keys(committedStackSecrets(stack))), stack).to.not.throw();
        }
        expect(Object.keys(handSetSecrets("production"))).to.deep.equal(["minioAccessKey", "minioSecretKey"]);
        expect(handSetSecrets("staging")).to.deep.equal({});
    });

    it("refuses generated credentials on a stack that keeps its data across destroy, naming each key", () => {
        const storeKeys = Object.keys(handSetSecrets("production"));
        const problems = problemsOf(stackValues("production"), storeKeys);
        expect(problems.map((p) => p.key)).to.deep.equal(["postgresPassword", "mongoRootPassword", "jwtSecret", "rootAdminPassword"].map((k) => `${PROJECT}:${k}`));
        for (const p of problems) expect(p.allowed).to.include("`npm run stack:init -- test` stores every missing one");
        // Only what is still unset; an existing Secret is the user's to keep.
        expect(problemsOf(stackValues("production"), [...storeKeys, "postgresPassword", "jwtSecret", "rootAdminPassword"]).map((p) => p.key))
            .to.deep.equal([`${PROJECT}:mongoRootPassword`]);
        expect(() => resolve({ ...stackValues("production"), existingSecret: "the0-prod-secrets" })).to.not.throw();
        // The in-cluster MinIO's keys are generated, so a protected stack that runs it must store them too.
        const inCluster = problemsOf({ ...stackValues("production"), objectStorage: obj({ mode: "distributed" }) }).map((p) => p.key);
        expect(inCluster).to.include.members([`${PROJECT}:minioAccessKey`, `${PROJECT}:minioSecretKey`]);
    });

    it("the external store's keys are the user's: never generated, named apart from what stack:init stores", () => {
        const problems = problemsOf(stackValues("production"));
        expect(problems.map((p) => p.key)).to.deep.equal(["minioAccessKey", "postgresPassword", "mongoRootPassword", "jwtSecret", "rootAdminPassword"].map((k) => `${PROJECT}:${k}`));
        expect(problems[0].allowed).to.equal("external object storage needs minioAccessKey and minioSecretKey (secrets) or existingSecret");
        expect(stackInitSecrets("production")).to.not.have.any.keys("minioAccessKey", "minioSecretKey");
    });
});

describe("config: validation failures", () => {
    it("reports every problem at once, each naming key, value and what is allowed", () => {
        const problems = problemsOf({ profile: "cloud", nats: obj({ replicas: 2 }), apps: obj({ botController: { replicas: 2 } }) });
        const keys = problems.map((p) => p.key);
        expect(keys).to.include.members([`${PROJECT}:domain`, `${PROJECT}:rootAdminEmail`, `${PROJECT}:ingress.acmeEmail`, `${PROJECT}:nats.replicas`, `${PROJECT}:apps.botController.replicas`]);
        let message = "";
        try {
            resolve({ profile: "cloud", nats: obj({ replicas: 2 }) });
        } catch (e) {
            message = (e as Error).message;
        }
        expect(message).to.match(/Invalid configuration for stack "test" \(\d+ problems\)/);
        expect(message).to.include(`${PROJECT}:nats.replicas = 2: must be 1, 3 or 5`);
        expect(message).to.include(`${PROJECT}:domain = "": is required for the cloud profile`);
    });

    const cases: Array<[string, Record<string, string>, string, string | RegExp, string[]?]> = [
        ["unknown profile", { profile: "aws" }, "profile", "must be one of minikube, cloud"],
        ["bot-controller replicas", { apps: obj({ botController: { replicas: 2 } }) }, "apps.botController.replicas", "exactly 1"],
        ["bot-controller autoscaling", { apps: obj({ botController: { autoscaling: { enabled: true, maxReplicas: 3 } } }) }, "apps.botController.autoscaling.enabled", "exactly one replica"],
        ["api replicas out of range", { apps: obj({ api: { replicas: 0 } }) }, "apps.api.replicas", "1 to 50"],
        ["nats cluster size", { nats: obj({ replicas: 4 }) }, "nats.replicas", "1, 3 or 5"],
        ["distributed storage too small", { objectStorage: obj({ mode: "distributed", replicas: 2 }) }, "objectStorage.replicas", "4 to 16"],
        ["standalone with replicas", { objectStorage: obj({ mode: "standalone", replicas: 4 }) }, "objectStorage.replicas", "must be 1 in standalone"],
        ["GB is not a quantity", { postgres: obj({ storageSize: "10GB" }) }, "postgres.storageSize", "not 10GB"],
        ["bad cpu quantity", { apps: obj({ api: { resources: { limits: { cpu: "lots" } } } }) }, "apps.api.resources.limits.cpu", "CPU quantity"],
        ["milli-bytes memory", { apps: obj({ frontend: { resources: { requests: { memory: "512m" } } } }) }, "apps.frontend.resources.requests.memory", "byte quantity"],
        ["requests above limits", { apps: obj({ docs: { resources: { requests: { cpu: "2" } } } }) }, "apps.docs.resources.requests.cpu", "must not exceed limits.cpu"],
        ["bad domain", { domain: "The0_Local" }, "domain", "DNS name"],
        ["bad namespace", { namespace: "The0" }, "namespace", "DNS-1123 label"],
        ["bad ingress host", { ingress: obj({ hosts: { api: "api..the0.local" } }) }, "ingress.hosts.api", "DNS name"],
        ["image without tag", { apps: obj({ api: { image: "ghcr.io/alexanderwanyoike/the0/api" } }) }, "apps.api.image", "tag or a digest"],
        ["malformed image", { postgres: obj({ image: "Postgres::15" }) }, "postgres.image", "image reference"],
        ["latest outside minikube", cloudValues({ apps: obj({ api: { image: "ghcr.io/alexanderwanyoike/the0/api:latest" } }) }), "apps.api.image", "latest"],
        ["bad pull policy", { imagePullPolicy: "Sometimes" }, "imagePullPolicy", "Always, IfNotPresent, Never"],
        ["Never outside minikube", cloudValues({ imagePullPolicy: "Never" }), "imagePullPolicy", "preloaded"],
        ["external postgres without details", { postgres: obj({ mode: "external" }) }, "postgres.external.host", "postgresUrl"],
        ["external postgres host without password", { postgres: obj({ mode: "external", external: { host: "db.example.com" } }) }, "postgresPassword", "required with postgres.external.host"],
        ["external mongo without details", { mongo: obj({ mode: "external" }) }, "mongo.external.host", "mongoUrl"],
        ["external nats without url", { nats: obj({ mode: "external" }) }, "natsUrl", "JetStream"],
        ["external object storage without endpoint", { objectStorage: obj({ mode: "external" }) }, "objectStorage.external.endpoint", "without https"],
        ["external object storage with scheme", { objectStorage: obj({ mode: "external", external: { endpoint: "https://s3.example.com" } }) }, "objectStorage.external.endpoint", "host name only", ["minioAccessKey", "minioSecretKey"]],
        ["external object storage without keys", { objectStorage: obj({ mode: "external", external: { endpoint: "s3.example.com" } }) }, "minioAccessKey", "minioSecretKey"],
        ["cloud without domain", { ...cloudValues(), domain: "" }, "domain", "required for the cloud profile"],
        ["cloud without ACME email", { ...cloudValues(), ingress: "{}" }, "ingress.acmeEmail", "Let's Encrypt"],
        ["cloud without root admin email", { ...cloudValues(), rootAdminEmail: "" }, "rootAdminEmail", "THE0_ADMIN_EMAIL"],
        ["bad root admin email", { rootAdminEmail: "admin" }, "rootAdminEmail", "email address"],
        ["let's encrypt on minikube", { ingress: obj({ tlsIssuer: "letsencrypt-staging", acmeEmail: "a@b.io" }) }, "ingress.tlsIssuer", "selfSigned"],
        ["minikube addon on cloud", cloudValues({ ingress: obj({ acmeEmail: "a@b.io", mode: "ingress", controller: "minikubeAddon" }) }), "ingress.controller", "minikube profile"],
        ["node port out of range", { nodePorts: obj({ api: 8080 }) }, "nodePorts.api", "30000-32767"],
        ["duplicate node ports", { nodePorts: obj({ docs: 30000 }) }, "nodePorts.docs", "differ"],
        ["nats memory store below the log stream", { nats: obj({ memoryStoreSize: "64Mi" }) }, "nats.memoryStoreSize", "128 MB"],
        ["nats memory store above the memory limit", { nats: obj({ memoryStoreSize: "1Gi" }) }, "nats.memoryStoreSize", "limits.memory"],
        ["extra enabled without image", { apps: obj({ securityAnalyzer: { enabled: true } }) }, "apps.securityAnalyzer.image", "no default image"],
        ["api disabled", { apps: obj({ api: { enabled: false } }) }, "apps.api.enabled", "cannot be disabled"],
        ["bad cron", { gcSchedule: "every 5 minutes" }, "gcSchedule", "cron"],
        ["retired chart version field", { ingress: obj({ certManagerChartVersion: "v1.21.1" }) }, "ingress.certManagerChartVersion", "cluster-addons project"],
        ["ingress-nginx install", { ingress: obj({ controller: "install" }) }, "ingress.controller", "retired in March 2026"],
        ["cert-manager install", { ingress: obj({ certManager: "install" }) }, "ingress.certManager", "cluster-addons project"],
        ["clusterIssuer without a name", cloudValues({ ingress: obj({ tlsIssuer: "clusterIssuer" }) }), "ingress.clusterIssuer", "is required"],
        ["existing Gateway without a listener", cloudValues({ ingress: obj({ tlsIssuer: "none", gateway: { create: false, name: "shared" } }) }), "ingress.gateway.sectionName", "HTTPS listener"],
        ["existing Gateway with our issuer", cloudValues({ ingress: obj({ acmeEmail: "a@b.io", gateway: { create: false, name: "shared", sectionName: "https" } }) }), "ingress.tlsIssuer", "must be none"],
        ["bad annotation name", { ingress: obj({ annotations: { "bad name": "x" } }) }, "ingress.annotations.bad name", "annotation name"],
        ["annotation value not a string", { ingress: obj({ hostAnnotations: { api: { "a.io/b": 3 } } }) }, "ingress.hostAnnotations.api", "map of strings"],
        ["timeout too short", { ingress: obj({ requestTimeoutSeconds: 5 }) }, "ingress.requestTimeoutSeconds", "30-3600"],
        ["unknown top-level key", { natsReplicas: "3" }, "natsReplicas", "unknown config key"],
        ["unknown nested key", { nats: obj({ replica: 3 }) }, "nats.replica", "unknown key"],
        ["wrong nested type", { nats: obj({ replicas: "three" }) }, "nats.replicas", "integer"],
        ["wrong top-level type", { protectDataVolumes: "yes" }, "protectDataVolumes", "true or false"],
        ["object key that is not an object", { postgres: "[1,2]" }, "postgres", "must be an object"],
        ["secret ignored by existingSecret", { existingSecret: "the0-prod-secrets" }, "jwtSecret", "ignored when existingSecret", ["jwtSecret"]],
        ["postgresUrl with in-cluster postgres", {}, "postgresUrl", "external", ["postgresUrl"]],
        ["cloud without any exposure", cloudValues({ ingress: obj({ enabled: false }) }), "ingress.enabled", "unreachable"],
        ["instance name too long", { instanceName: "a-very-long-instance-name-for-the0" }, "instanceName", "30 characters"],
    ];

    for (const [title, values, key, allowed, secrets] of cases) {
        it(`${title}: ${key}`, () => expectProblem(values, key, allowed, secrets));
    }

    it("external services pass with their connection details", () => {
        const c = resolve(
            {
                postgres: obj({ mode: "external" }),
                mongo: obj({ mode: "external" }),
                nats: obj({ mode: "external" }),
                objectStorage: obj({ mode: "external", external: { endpoint: "objects.eu-west-1.example.com" } }),
            },
            ["postgresUrl", "mongoUrl", "natsUrl", "minioAccessKey", "minioSecretKey"],
        );
        expect(c.postgres.mode).to.equal("external");
        expect(c.objectStorage.external).to.deep.equal({ endpoint: "objects.eu-west-1.example.com", port: 443, useSsl: true });
    });

    it("existingSecret satisfies external databases", () => {
        const c = resolve({ existingSecret: "the0-secrets-ext", postgres: obj({ mode: "external" }), mongo: obj({ mode: "external" }), nats: obj({ mode: "external" }) });
        expect(c.existingSecret).to.equal("the0-secrets-ext");
    });
});

describe("natsUrlProblems (external natsUrl as the0's clients read it)", () => {
    it("accepts nats:// and tls:// server lists without credentials", () => {
        for (const ok of ["nats://nats.example.com:4222", "nats://n1.example.com:4222,nats://n2.example.com", "tls://10.0.0.7:4443", "nats://nats"]) {
            expect(natsUrlProblems(ok), ok).to.deep.equal([]);
        }
    });

    it("refuses credentials, spaces, paths, other schemes and bad ports, without echoing the value", () => {
        const bad: Array<[string, RegExp]> = [
            ["nats://the0:pw@nats.example.com:4222", /credentials/],
            ["nats://token@nats.example.com", /credentials/],
            ["nats://a.example.com, nats://b.example.com", /without spaces/],
            ["nats://a.example.com/path", /without spaces, path/],
            ["http://a.example.com:4222", /nats:\/\/host:port/],
            ["nats://a.example.com:99999", /nats:\/\/host:port/],
            ["", /nats:\/\/host:port/],
        ];
        for (const [value, rule] of bad) {
            const problems = natsUrlProblems(value);
            expect(problems, value).to.have.length(1);
            expect(problems[0], value).to.match(rule);
            if (value !== "") expect(problems[0]).to.not.include(value);
        }
    });
});

describe("cronProblem (the API server's CronJob schedule parser)", () => {
    it("accepts what robfig/cron's standard parser accepts", () => {
        for (const ok of ["*/5 * * * *", "0 3 * * 1-5", "15,45 */2 1 JAN-jun ?", "0 0 1 */3 SUN", "@hourly", "@every 1h30m", "0 0 * * 6", "5/15 * * * *"]) {
            expect(cronProblem(ok), ok).to.equal(undefined);
        }
    });

    it("names the field and the rule it breaks", () => {
        const bad: Array<[string, string]> = [
            ["60 * * * *", 'minute "60" is outside 0-59'],
            ["* * 0 * *", 'day of month "0" is outside 1-31'],
            ["* * * 13 *", 'month "13" is outside 1-12'],
            ["* * * * 7", 'day of week "7" is outside 0-6'],
            ["* * * * MON-FOO", 'day of week "FOO" is not a number or name'],
            ["10-5 * * * *", 'minute "10-5" starts after it ends'],
            ["* * * *", "has 4 fields, needs 5 (minute hour day-of-month month day-of-week)"],
            ["@fortnightly", "unknown descriptor; allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>"],
            ["@every soon", "unknown descriptor; allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>"],
        ];
        for (const [schedule, problem] of bad) expect(cronProblem(schedule), schedule).to.equal(problem);
    });
});
