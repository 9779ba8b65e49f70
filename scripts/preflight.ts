// `npm run preflight` (scripts/preflight.sh): is the stack's cluster ready for the stack? The logic is tools/commands/preflight.ts.
import { main, UsageError } from "../tools/commands/preflight";

main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof UsageError ? `preflight: ${e.message}` : e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : 1);
});
