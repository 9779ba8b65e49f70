// The app Secret with the0's key names. Values come from `pulumi config set --secret` or are
// generated with @pulumi/random; connection strings percent-encode user and password. With
// `existingSecret` nothing is created and every reference points at that Secret instead.
// Readers roll on the Secret's revision (its resourceVersion), never on a digest of its values.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { SecretKey } from "./model/secretKeys";
import { GENERATED_LENGTH } from "./config/credentials";
import { SecretInputs } from "./config/load";
import { SecretConfigKey } from "./config/types";
import { mongoUrl, postgresUrl, redisUrl } from "./data/connectionStrings";
import { appSecretName, labels, objectMeta } from "./k8s/meta";
import { DeploymentPlan } from "./plan/plan";

export interface AppSecretsArgs {
    /** The plan: where the data services are, and which credentials are generated. */
    plan: DeploymentPlan;
    /** Secret config values (`pulumi config set --secret`). */
    inputs: SecretInputs;
    /** The namespace the Secret goes into: only the Secret waits for it, the generated passwords do not. */
    namespace?: pulumi.Resource;
}

export class AppSecrets extends pulumi.ComponentResource {
    /** Name of the Secret every workload references. */
    readonly secretName: string;
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

        // What to generate is decided once (config/credentials.ts), for validation, stack:init and the plan.
        const toGenerate = new Set(plan.credentials.generated);
        const value = (key: SecretConfigKey): pulumi.Output<string> => {
            const given = secrets[key];
            if (given) return pulumi.secret(given);
            if (!toGenerate.has(key)) throw new Error(`${key} is neither set nor generated: config/credentials.ts and secrets.ts disagree`);
            const generated = new random.RandomPassword(`${name}-${key}`, { length: GENERATED_LENGTH[key] ?? 32, special: false }, { parent: this });
            return pulumi.secret(generated.result);
        };

        const data: Record<string, pulumi.Input<string>> = {};
        // Host and port come from the data services' placement (in-cluster Service or external server).
        const pg = cfg.postgres;
        const pgInCluster = plan.inClusterStores.includes("postgres");
        // Which credentials each database uses is decided once (config/credentials.ts) for validation and here.
        if (plan.credentials.postgres === "url" && secrets.postgresUrl) {
            data["database-url"] = pulumi.secret(secrets.postgresUrl);
        } else {
            const password = value("postgresPassword");
            const sslmode = pgInCluster ? "disable" : pg.external.sslmode;
            data["postgresql-password"] = password;
            data["database-url"] = password.apply((pw) => postgresUrl({ user: pg.user, password: pw, ...endpoints.postgres, database: pg.database, sslmode }));
        }

        const mg = cfg.mongo;
        if (plan.inClusterStores.includes("mongo")) {
            const password = value("mongoRootPassword");
            data["mongodb-root-password"] = password;
            data["mongo-url"] = password.apply((pw) => mongoUrl({ user: mg.rootUser, password: pw, ...endpoints.mongo }));
        } else if (plan.credentials.mongo === "url" && secrets.mongoUrl) {
            data["mongo-url"] = pulumi.secret(secrets.mongoUrl);
        } else {
            const password = value("mongoRootPassword");
            data["mongodb-root-password"] = password;
            data["mongo-url"] = password.apply((pw) => mongoUrl({ user: mg.external.user, password: pw, ...endpoints.mongo, database: mg.database, authSource: mg.external.authSource, options: mg.external.options }));
        }

        data["minio-access-key"] = value("minioAccessKey");
        data["minio-secret-key"] = value("minioSecretKey");
        data["jwt-secret"] = value("jwtSecret");
        data["admin-password"] = value("rootAdminPassword");

        data["nats-url"] = plan.inClusterStores.includes("nats")
            ? pulumi.secret(`nats://${endpoints.nats.host}:${endpoints.nats.port}`)
            : pulumi.secret(secrets.natsUrl ?? pulumi.output(""));

        if (cfg.redis.enabled) {
            const password = value("redisPassword");
            data["redis-password"] = password;
            data["redis-url"] = password.apply((pw) => redisUrl(pw, endpoints.redis.host, endpoints.redis.port));
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
        this.registerOutputs({ secretName: this.secretName });
    }

    /** A reference to one of the Secret's keys, for an env var's valueFrom. */
    ref(key: SecretKey): k8s.types.input.core.v1.EnvVarSource {
        return { secretKeyRef: { name: this.secretName, key } };
    }

    /** An env var read from one of the Secret's keys. */
    env(name: string, key: SecretKey): k8s.types.input.core.v1.EnvVar {
        return { name, valueFrom: this.ref(key) };
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
