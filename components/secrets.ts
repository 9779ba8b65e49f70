// The app Secret with the0's key names. Values come from `pulumi config set --secret` or are
// generated with @pulumi/random; connection strings percent-encode user and password. With
// `existingSecret` nothing is created and every reference points at that Secret instead.
// Readers roll on the Secret's revision (its resourceVersion), never on a digest of its values.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { SecretKey } from "./model/secretKeys";
import { generatedLength } from "./config/credentials";
import { SecretInputs } from "./config/load";
import { SecretConfigKey } from "./config/secretRegistry";
import { mongoUrl, postgresUrl, redisUrl } from "./data/connectionStrings";
import { appSecretName, labels, objectMeta } from "./k8s/meta";
import { SecretRevision } from "./k8s/secretRefs";
import { DeploymentPlan } from "./plan/plan";
import { archiveSecretName } from "./plan/postgresCluster";

export interface AppSecretsArgs {
    /** The plan: where the data services are, and which credentials are generated. */
    plan: DeploymentPlan;
    /** Secret config values (`pulumi config set --secret`). */
    inputs: SecretInputs;
    /** The namespace the Secret goes into: only the Secret waits for it, the generated passwords do not. */
    namespace?: pulumi.Resource;
}

export class AppSecrets extends pulumi.ComponentResource implements SecretRevision {
    /** Name of the Secret every workload references. */
    readonly secretName: string;
    /** The in-cluster object storage's keys alone, for a CloudNativePG Cluster's WAL archive. */
    readonly archiveSecret?: k8s.core.v1.Secret;
    /** The Secret this program writes; none with existingSecret. */
    private readonly secret?: k8s.core.v1.Secret;

    constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Secrets are constructor arguments, never component props.
        super("the0:secrets:AppSecrets", name, {}, opts);
        const { plan, inputs: secrets } = args;
        const { config: cfg, endpoints } = plan;

        if (cfg.existingSecret !== "") {
            this.secretName = appSecretName(cfg);
            this.registerOutputs({ secretName: this.secretName });
            return;
        }

        // Each secret config key's value: as given, or made here when the plan generates it (the plan's list
        // comes from the secret registry, as validation's and stack:init's do).
        const generated = new Map(plan.credentials.generated.map((key) => [key, pulumi.secret(
            new random.RandomPassword(`${name}-${key}`, { length: generatedLength(key), special: false }, { parent: this }).result,
        )]));
        const value = (key: SecretConfigKey): pulumi.Output<string> | undefined => {
            const given = secrets[key];
            return given ? pulumi.secret(given) : generated.get(key);
        };

        // The keys in the order the0's chart writes them; connection strings are built from the
        // password and the data services' placement (in-cluster Service or external server).
        const data: Partial<Record<SecretKey, pulumi.Input<string>>> = {};
        const pg = cfg.postgres;
        const pgPassword = value("postgresPassword");
        const pgUrl = value("postgresUrl");
        if (plan.credentials.postgres === "operator") {
            // CloudNativePG's Secret <cluster>-app holds the role's password and the connection string.
        } else if (plan.credentials.postgres === "url" && pgUrl) {
            data["database-url"] = pgUrl;
        } else if (pgPassword) {
            const sslmode = plan.inClusterStores.includes("postgres") ? "disable" : pg.external.sslmode;
            data["postgresql-password"] = pgPassword;
            data["database-url"] = pgPassword.apply((pw) => postgresUrl({ user: pg.user, password: pw, ...endpoints.postgres, database: pg.database, sslmode }));
        }

        const mg = cfg.mongo;
        const mgPassword = value("mongoRootPassword");
        const mgUrl = value("mongoUrl");
        if (plan.credentials.mongo === "url" && mgUrl) {
            data["mongo-url"] = mgUrl;
        } else if (mgPassword) {
            data["mongodb-root-password"] = mgPassword;
            data["mongo-url"] = mgPassword.apply((pw) => plan.inClusterStores.includes("mongo")
                ? mongoUrl({ user: mg.rootUser, password: pw, ...endpoints.mongo })
                : mongoUrl({ user: mg.external.user, password: pw, ...endpoints.mongo, database: mg.database, authSource: mg.external.authSource, options: mg.external.options }));
        }

        for (const [key, secretKey] of [["minioAccessKey", "minio-access-key"], ["minioSecretKey", "minio-secret-key"], ["jwtSecret", "jwt-secret"], ["rootAdminPassword", "admin-password"]] as const) {
            const v = value(key);
            if (v) data[secretKey] = v;
        }

        data["nats-url"] = plan.inClusterStores.includes("nats")
            ? pulumi.secret(`nats://${endpoints.nats.host}:${endpoints.nats.port}`)
            : value("natsUrl") ?? pulumi.secret("");

        const redisPassword = value("redisPassword");
        if (cfg.redis.enabled && redisPassword) {
            data["redis-password"] = redisPassword;
            data["redis-url"] = redisPassword.apply((pw) => redisUrl(pw, endpoints.redis.host, endpoints.redis.port));
        }

        this.secretName = appSecretName(cfg);
        // No app.kubernetes.io/version: an upgrade of the0 must not write the Secret, or every
        // reader (data services included) would roll for nothing.
        const { "app.kubernetes.io/version": _version, ...unversioned } = labels(cfg, "secrets");
        this.secret = new k8s.core.v1.Secret(
            name,
            { metadata: { ...objectMeta(cfg, "secrets", this.secretName), labels: unversioned }, type: "Opaque", stringData: pulumi.secret(pulumi.all(data)) },
            { parent: this, dependsOn: args.namespace ? [args.namespace] : [] },
        );
        // PostgreSQL under CloudNativePG archiving to the in-cluster object storage: its instances may read the Secret
        // its credentials are in, so they get one with those two keys only (validation refuses this with existingSecret).
        const pgc = plan.postgresCluster;
        if (pgc?.archive && plan.backups?.target.inCluster) {
            const accessKey = value("minioAccessKey");
            const secretKey = value("minioSecretKey");
            if (!accessKey || !secretKey) throw new Error("the in-cluster object storage has no keys for the PostgreSQL archive");
            this.archiveSecret = new k8s.core.v1.Secret(`${name}-postgres-archive`, {
                metadata: { ...objectMeta(cfg, "postgres", archiveSecretName(cfg)), labels: unversioned },
                type: "Opaque",
                stringData: pulumi.secret(pulumi.all({ "access-key": accessKey, "secret-key": secretKey })),
            }, { parent: this, dependsOn: args.namespace ? [args.namespace] : [] });
        }
        this.registerOutputs({ secretName: this.secretName });
    }

    /**
     * Pod-template annotations for a pod that reads `keys`: the Secret's resourceVersion as Pulumi
     * last wrote or read it. Every write by Pulumi (a rotation, or putting back a value someone
     * edited by hand, which a pod restarted in between would hold) gives it a new one, so exactly
     * the pods that read the Secret roll; a preview or a no-op up rolls nothing. It says nothing
     * about the values. None for a pod that reads no key, or with an existing Secret.
     */
    rollOnWrite(keys: readonly SecretKey[]): Record<string, pulumi.Output<string>> {
        if (!this.secret || keys.length === 0) return {};
        return { [SECRET_REVISION_ANNOTATION]: this.secret.metadata.resourceVersion };
    }
}

export const SECRET_REVISION_ANNOTATION = "the0.app/secret-revision";
