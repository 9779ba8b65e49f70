// `npm run docs [-- --check]`: the generated tables of README.md and docs/; the logic is tools/commands/docs.ts.
import { main } from "../tools/commands/docs";

main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
});
