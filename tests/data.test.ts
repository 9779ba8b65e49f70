// Data tier and NATS: StatefulSets, probes, hardening, volumes, services, external modes.
import { expect } from "chai";
import { APPLY_ROOT_PASSWORD } from "../components/data/mongo";
import { natsServerConfig } from "../components/data/nats/natsCluster";
import { formatNatsConfig } from "../components/data/nats/natsConfig";
import { build, buildStack, cloudValues, Model, T, unwrap } from "../tools/render/render";

describe("data tier (dev)", () => {
    let m: Model;
    before(async () => { m = await buildStack("dev"); });

    it("runs PostgreSQL as a hardened StatefulSet with pg_isready probes", () => {
        const sts = m.statefulSet("the0-postgres");
        expect(sts.serviceName).to.equal("the0-postgres-headless");
        const c = sts.template.spec.containers[0];
        expect(c.image).to.equal("postgres:15.13-alpine");
        expect(c.readinessProbe.exec.command[2]).to.equal("pg_isready -h 127.0.0.1 -U 'the0' -d 'the0_oss'");
        expect(c.livenessProbe).to.include({ initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 });
        expect(sts.template.spec.securityContext).to.include({ runAsUser: 70, runAsGroup: 70, fsGroup: 70, runAsNonRoot: true });
        expect(c.volumeMounts.map((v: any) => v.mountPath)).to.deep.equal(["/var/run/postgresql", "/tmp", "/var/lib/postgresql/data"]);
        const env = m.env(T.StatefulSet, "the0-postgres");
        expect(env).to.deep.include({ POSTGRES_DB: "the0_oss", POSTGRES_USER: "the0", PGDATA: "/var/lib/postgresql/data/pgdata" });
        expect(env.POSTGRES_PASSWORD).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "postgresql-password" } });
        expect(sts.volumeClaimTemplates[0].spec).to.deep.equal({ accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: "10Gi" } } });
        expect(m.spec(T.Service, "the0-postgres").ports).to.deep.equal([{ name: "postgres", port: 5432, targetPort: "postgres", protocol: "TCP" }]);
    });

    it("runs MongoDB with the0's root user and a mongosh ping probe", () => {
        const c = m.container(T.StatefulSet, "the0-mongo");
        expect(c.image).to.equal("mongo:7.0.28-jammy");
        expect(c.readinessProbe.exec.command).to.deep.equal(["mongosh", "--quiet", "--eval", "db.adminCommand('ping').ok"]);
        const env = m.env(T.StatefulSet, "the0-mongo");
        expect(env.MONGO_INITDB_ROOT_USERNAME).to.equal("root");
        expect(env.MONGO_INITDB_DATABASE).to.equal("bot_runner");
        expect(m.statefulSet("the0-mongo").template.spec.securityContext.runAsUser).to.equal(999);
        expect(c.volumeMounts.map((v: any) => v.mountPath)).to.include.members(["/data/db", "/data/configdb", "/tmp"]);
    });

    it("sets MongoDB's root password from the Secret before every start, on the data volume, from the server's image", () => {
        const pod = m.statefulSet("the0-mongo").template.spec;
        expect(pod.initContainers).to.have.length(1);
        const init = pod.initContainers[0];
        expect(init).to.deep.include({ name: "apply-password", image: "mongo:7.0.28-jammy", command: ["/bin/sh", "-c", APPLY_ROOT_PASSWORD] });
        expect(init.volumeMounts.map((v: any) => [v.name, v.mountPath])).to.deep.equal([["tmp", "/tmp"], ["data", "/data/db"]]);
        expect(init.securityContext).to.include({ runAsUser: 999, runAsNonRoot: true, readOnlyRootFilesystem: true });
        const env = Object.fromEntries(init.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        expect(env).to.deep.equal({ MONGO_INITDB_ROOT_USERNAME: "root", MONGO_INITDB_ROOT_PASSWORD: { secretKeyRef: { name: "the0-secrets", key: "mongodb-root-password" } }, HOME: "/tmp" });
        // Only on an existing data directory; reachable only from inside the pod; never fatal to the server's start.
        expect(APPLY_ROOT_PASSWORD).to.match(/^if \[ ! -f \/data\/db\/WiredTiger \]; then .* exit 0; fi/);
        expect(APPLY_ROOT_PASSWORD).to.include("--bind_ip 127.0.0.1").and.include("--noauth").and.include("db.changeUserPassword(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD)");
        expect(APPLY_ROOT_PASSWORD.trim().split("\n").pop()).to.equal("mongod --dbpath /data/db --shutdown >/dev/null || true");
        expect(APPLY_ROOT_PASSWORD).to.not.match(/exit [1-9]/);
        // The volume's emptyDirs are declared once, for both containers.
        expect(pod.volumes.map((v: any) => v.name)).to.deep.equal(["data-configdb", "tmp"]);
    });

    it("runs MinIO standalone from the pinned quay.io release", () => {
        const c = m.container(T.StatefulSet, "the0-minio");
        expect(c.image).to.equal("quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z");
        expect(c.command.slice(0, 3)).to.deep.equal(["minio", "server", "/data"]);
        expect(c.livenessProbe.httpGet).to.deep.equal({ path: "/minio/health/live", port: "api" });
        expect(c.readinessProbe.httpGet).to.deep.equal({ path: "/minio/health/ready", port: "api" });
        const env = m.env(T.StatefulSet, "the0-minio");
        expect(env.MINIO_ROOT_USER).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "minio-access-key" } });
        expect(m.statefulSet("the0-minio").volumeClaimTemplates[0].spec.resources.requests.storage).to.equal("20Gi");
        expect(m.spec(T.Service, "the0-minio").ports.map((p: any) => p.port)).to.deep.equal([9000, 9001]);
    });

    it("has no Redis unless asked", () => {
        expect(m.has(T.StatefulSet, "the0-redis")).to.equal(false);
    });
});

describe("data tier options", () => {
    it("adds Redis with a password and redis-cli probes", async () => {
        const m = await build({ redis: JSON.stringify({ enabled: true }) });
        const c = m.container(T.StatefulSet, "the0-redis");
        expect(c.readinessProbe.exec.command[2]).to.equal("redis-cli -h 127.0.0.1 ping | grep -q PONG");
        expect(m.env(T.StatefulSet, "the0-redis").REDISCLI_AUTH).to.deep.equal({ secretKeyRef: { name: "the0-secrets", key: "redis-password" } });
        expect(c.command.join(" ")).to.not.match(/requirepass [^"$]/);
    });

    it("creates no workload for external data services", async () => {
        const m = await build(
            {
                postgres: JSON.stringify({ mode: "external" }),
                mongo: JSON.stringify({ mode: "external" }),
                nats: JSON.stringify({ mode: "external" }),
                objectStorage: JSON.stringify({ mode: "external", external: { endpoint: "s3.example.com", port: 443 } }),
            },
            { secrets: { postgresUrl: "postgresql://u:p@db.example.com:5432/the0", mongoUrl: "mongodb+srv://u:p@cluster.example.com", natsUrl: "nats://nats.example.com:4222", minioAccessKey: "AKIA", minioSecretKey: "s3cr3t" } },
        );
        expect(m.ofType(T.StatefulSet)).to.have.length(0);
        expect(m.env(T.Deployment, "the0-api")).to.deep.include({ MINIO_ENDPOINT: "s3.example.com", MINIO_PORT: "443", MINIO_USE_SSL: "true" });
        expect(m.container(T.Deployment, "the0-bot-controller").args).to.include("--minio-endpoint=s3.example.com:443");
    });

    it("runs distributed object storage with a PDB on cloud", async () => {
        const m = await build(cloudValues());
        const sts = m.statefulSet("the0-minio");
        expect(sts.podManagementPolicy).to.equal("Parallel");
        expect(unwrap(m.object(T.PDB, "the0-minio").inputs).spec.maxUnavailable).to.equal(1);
        expect(m.spec(T.Service, "the0-minio-headless")).to.include({ clusterIP: "None", publishNotReadyAddresses: true });
    });
});

describe("NATS JetStream cluster", () => {
    let m: Model;
    before(async () => { m = await build(cloudValues()); });

    it("names each server after its pod and routes to every peer", () => {
        const conf = natsServerConfig(m.plan);
        // The pod name as a flag: nats-server would re-parse a $SERVER_NAME reference as config.
        expect(conf).to.not.include("server_name");
        expect(m.statefulSet("the0-nats").template.spec.containers[0].args).to.deep.equal(["--config", "/etc/nats-config/nats.conf", "--server_name", "$(SERVER_NAME)"]);
        for (const i of [0, 1, 2]) {
            expect(conf).to.include(`nats://the0-nats-${i}.the0-nats-headless.the0.svc.cluster.local:6222`);
        }
        expect(conf).to.include('name: "the0-nats"');
        expect(m.env(T.StatefulSet, "the0-nats").SERVER_NAME).to.deep.equal({ fieldRef: { fieldPath: "metadata.name" } });
        expect(unwrap(m.object(T.ConfigMap, "the0-nats-config").inputs).data["nats.conf"]).to.equal(conf);
    });

    it("keeps JetStream on a PVC with a memory store for the0's 128 MB log stream", () => {
        const conf = natsServerConfig(m.plan);
        expect(conf).to.include('store_dir: "/data"');
        const memory = Number(/max_memory_store: (\d+)/.exec(conf)![1]);
        expect(memory).to.be.at.least(128 * 2 ** 20);
        expect(m.statefulSet("the0-nats").volumeClaimTemplates[0].spec.resources.requests.storage).to.equal("10Gi");
    });

    it("asks clients for no credentials, because the0's api cannot send any", () => {
        const conf = natsServerConfig(m.plan);
        expect(conf).to.not.match(/authorization|users|password|token|\$NATS_PASSWORD/);
        expect(m.env(T.StatefulSet, "the0-nats")).to.have.all.keys("SERVER_NAME", "GOMEMLIMIT");
    });

    it("probes /healthz on the monitoring port and shuts down in lame-duck mode", () => {
        const sts = m.statefulSet("the0-nats");
        const c = sts.template.spec.containers[0];
        expect(c.startupProbe.httpGet).to.deep.equal({ path: "/healthz", port: "monitor" });
        expect(c.livenessProbe.httpGet.path).to.match(/^\/healthz/);
        expect(c.readinessProbe.httpGet.path).to.match(/^\/healthz/);
        expect(c.ports.map((p: any) => p.containerPort)).to.deep.equal([4222, 6222, 8222]);
        expect(c.lifecycle.preStop.exec.command).to.deep.equal(["nats-server", "-sl=ldm=/var/run/nats/nats.pid"]);
        expect(sts.template.spec.terminationGracePeriodSeconds).to.equal(60);
        expect(sts.podManagementPolicy).to.equal("Parallel");
    });

    it("has a PDB, a headless peer Service and a client Service", () => {
        expect(unwrap(m.object(T.PDB, "the0-nats").inputs).spec.maxUnavailable).to.equal(1);
        expect(m.spec(T.Service, "the0-nats-headless").ports.map((p: any) => p.port)).to.deep.equal([4222, 6222, 8222]);
        expect(m.spec(T.Service, "the0-nats").ports.map((p: any) => p.port)).to.deep.equal([4222, 8222]);
    });

    it("runs a single server without a cluster block on minikube", async () => {
        const dev = await buildStack("dev");
        expect(natsServerConfig(dev.plan)).to.not.include("cluster {");
        expect(dev.has(T.PDB, "the0-nats")).to.equal(false);
    });
});

describe("formatNatsConfig", () => {
    it("renders blocks, arrays and scalars, quoting every string", () => {
        expect(formatNatsConfig({ port: 4222, debug: false, name: "1abc-nats-0", jetstream: { store_dir: "/data" }, routes: ["nats://a:6222", "nats://b:6222"] })).to.equal(
            'port: 4222\ndebug: false\nname: "1abc-nats-0"\njetstream {\n  store_dir: "/data"\n}\nroutes: [\n  "nats://a:6222"\n  "nats://b:6222"\n]\n',
        );
    });

    it("refuses what nats-server would not read", () => {
        expect(() => formatNatsConfig({ "bad key": 1 })).to.throw(/not a nats-server key/);
        expect(() => formatNatsConfig({ size: NaN })).to.throw(/not a number/);
    });
});
