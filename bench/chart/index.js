// the0's chart through Pulumi, written as a Pulumi user would: one explicit provider, the namespace
// (Helm's --create-namespace), the chart with its required values, secrets from config. No awaits
// turned off: Chart v4 registers each rendered object as a resource with the provider's own awaits.
"use strict";
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");

const config = new pulumi.Config();
const namespaceName = config.get("namespace") || "the0";
const tag = config.get("apiImageTag") || "";

const provider = new k8s.Provider("k8s", {});
const namespace = new k8s.core.v1.Namespace("the0", { metadata: { name: namespaceName } }, { provider });

new k8s.helm.v4.Chart("the0", {
    chart: config.require("chartDir"),
    namespace: namespaceName,
    values: {
        the0Api: {
            env: {
                JWT_SECRET: config.requireSecret("jwtSecret"),
                THE0_ADMIN_EMAIL: config.get("adminEmail") || "admin@the0.local",
                THE0_ADMIN_PASSWORD: config.requireSecret("adminPassword"),
            },
            ...(tag ? { image: { tag } } : {}),
        },
    },
}, { provider, dependsOn: [namespace] });
