import { StructregError } from "../../core/errors.js";
import { MIGRATIONS, type Migration } from "./migrations/index.js";
import type { SqlClient, SqlExecutor } from "./sql-client.js";

/** What `migrate` did. */
export interface MigrateResult {
  /** Versions applied by this call, in order. */
  applied: number[];
  /** Highest version now in the database. */
  current: number;
}

/**
 * Applies the migrations the database does not have yet, each once, all in one transaction under an advisory
 * lock, so two processes starting against one PostgreSQL do not race (the second waits, then finds nothing
 * to do). Refuses a database migrated by a newer structreg.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  checkOrder(migrations);
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["structreg:migrations"]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS structreg_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await tx.query<{ version: number }>("SELECT version FROM structreg_migrations")).map((r) => r.version),
    );
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new StructregError(
        "SR_STORE_ERROR",
        `The database has migration ${Math.max(...unknown)}, which this structreg does not know: it was set up by a newer version.`,
        { hint: "Run the newer structreg, or point this one at another database." },
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await apply(tx, migration);
      applied.push(migration.version);
    }
    return { applied, current: Math.max(0, ...done, ...applied) };
  });
}

async function apply(tx: SqlExecutor, migration: Migration): Promise<void> {
  // No params: the simple protocol runs every statement of the migration.
  await tx.query(migration.sql);
  await tx.query("INSERT INTO structreg_migrations (version, name) VALUES ($1, $2)", [
    migration.version,
    migration.name,
  ]);
}

/**
 * Numbers must rise strictly. Gaps are allowed: numbers are handed out to work landing in parallel (0005 may
 * land after 0006), and `migrate` applies whatever a database lacks, so order between unrelated tables is free.
 */
function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : (migrations[i - 1] as Migration).version;
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new StructregError(
        "SR_INTERNAL",
        `Migration ${m.name} is number ${m.version}, expected a number above ${previous}.`,
      );
    }
  });
}
