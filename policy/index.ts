// `pulumi preview|up --policy-pack policy [--policy-pack-config <json>]` runs these rules.
import { PolicyPack, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CONFIG_SCHEMA, resourceValidation, RULES, stackValidation } from "./rules";

new PolicyPack("the0-infra", {
    policies: RULES.map((rule): ResourceValidationPolicy | StackValidationPolicy =>
        rule.checkStack
            ? { name: rule.name, description: rule.description, enforcementLevel: rule.enforcementLevel, configSchema: CONFIG_SCHEMA, validateStack: stackValidation(rule) }
            : { name: rule.name, description: rule.description, enforcementLevel: rule.enforcementLevel, configSchema: CONFIG_SCHEMA, validateResource: resourceValidation(rule) },
    ),
});
