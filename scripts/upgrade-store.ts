// `npm run upgrade-store` (scripts/upgrade-store.sh): a data store to a new major through a dump; the logic is
// tools/commands/upgradeStore.ts.
import { main, UsageError } from "../tools/commands/upgradeStore";

main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof UsageError ? `upgrade-store: ${e.message}` : e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : 1);
});
