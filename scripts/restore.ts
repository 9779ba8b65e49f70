// `npm run restore` (scripts/restore.sh): restores a stack's stores from its backups; the logic is tools/commands/restore.ts.
import { main, UsageError } from "../tools/commands/restore";

main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof UsageError ? `restore: ${e.message}` : e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : 1);
});
