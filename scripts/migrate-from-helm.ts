// `npm run migrate:from-helm` (scripts/migrate-from-helm.sh): a move from the0's Helm chart; the logic is
// tools/commands/migrateFromHelm.ts.
import { main, RefusedError, SmokeFailedError, UsageError } from "../tools/commands/migrateFromHelm";

main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof UsageError ? `migrate-from-helm: ${e.message}` : e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : e instanceof RefusedError ? 3 : e instanceof SmokeFailedError ? 4 : 1);
});
