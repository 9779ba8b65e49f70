// `npm run project-config [-- --check]`: Pulumi.yaml from the config schema; the logic is tools/commands/projectConfig.ts.
import { main } from "../tools/commands/projectConfig";

main(process.argv.slice(2));
