// `npm run smoke` (scripts/smoke.sh): the post-deploy check; the logic is tools/commands/smoke.ts.
import { main, UsageError } from "../tools/commands/smoke";

main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof UsageError ? `smoke: ${e.message}` : e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : 1);
});
