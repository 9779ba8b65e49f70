// the0's database as its migrations leave it (fixtures/the0-schema.sql) with a realistic amount of
// data, for the contract tests that move it (backup and restore, a major upgrade): seeded once, then
// compared table by table.
import { readFileSync } from "fs";
import { join } from "path";

/** the0's tables, its migrations' bookkeeping included. */
export const THE0_TABLES = ["users", "api_keys", "custom_bots", "bots", "admin_mutation_locks", "drizzle.__drizzle_migrations"];

/** Runs SQL in the0's database and returns psql's unaligned output. */
export type Sql = (query: string) => string;

/** the0's schema, 200 users with API keys, 300 custom bots and `bots` bots whose configs carry quotes. */
export function seedThe0Database(sql: Sql, bots: number): void {
    sql(readFileSync(join(__dirname, "fixtures", "the0-schema.sql"), "utf8"));
    sql(`insert into drizzle.__drizzle_migrations (hash, created_at) select md5(i::text), 1700000000000 + i from generate_series(0, 6) i;
         insert into users (id, username, email, password_hash, metadata, role) select 'u' || i, 'user' || i, 'user' || i || '@the0.local', md5(i::text), jsonb_build_object('plan', 'free', 'n', i), case when i = 0 then 'admin' else 'user' end from generate_series(0, 199) i;
         insert into api_keys (id, user_id, name, key_value) select 'k' || i, 'u' || (i % 200), 'key ' || i, md5('k' || i) from generate_series(0, 199) i;
         insert into custom_bots (id, user_id, name, version, config, file_path) select 'cb' || i, 'u' || (i % 200), 'strategy-' || i, '1.0.' || i, jsonb_build_object('runtime', 'python3.11', 'entrypoints', jsonb_build_object('bot', 'main.py')), 'custom-bots/u' || (i % 200) || '/strategy-' || i || '.zip' from generate_series(0, 299) i;
         insert into bots (id, user_id, custom_bot_id, name, config, topic) select 'b' || i, 'u' || (i % 200), 'cb' || (i % 300), 'bot ' || i, jsonb_build_object('symbol', 'BTC-USD', 'interval', '1m', 'schedule', '*/5 * * * *', 'params', jsonb_build_array(i, i * 2, 'quote''s "value"')), 'the0.bot.' || i from generate_series(0, ${bots - 1}) i;`);
}

/** Every row of every table of the0's, in order: equal snapshots mean equal data. */
export function snapshotRows(sql: Sql): Record<string, string> {
    return Object.fromEntries(THE0_TABLES.map((t) => [t, sql(`select * from ${t} order by 1`)]));
}
