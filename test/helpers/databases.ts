import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { SqlClient } from "../../src/adapters/storage/sql-client.js";

/** The admin connection for PostgreSQL tests, or undefined when they should be skipped. */
export const POSTGRES_ADMIN_URL: string | undefined = process.env.DATABASE_URL || undefined;

/** The line printed (once per process) when PostgreSQL tests are skipped. */
export const POSTGRES_SKIP_MESSAGE =
  "PostgreSQL contract tests skipped (and the other PostgreSQL storage tests): " +
  "set DATABASE_URL=postgres://user@127.0.0.1:5432/postgres to run them";

let skipNoticePrinted = false;

/**
 * Whether DATABASE_URL is set. With `announce`, prints POSTGRES_SKIP_MESSAGE (once per process) when it is not:
 * the contract suite announces, other suites skip quietly so a run prints the message once.
 */
export function postgresAvailable(announce = false): boolean {
  if (announce && POSTGRES_ADMIN_URL === undefined && !skipNoticePrinted) {
    skipNoticePrinted = true;
    console.warn(POSTGRES_SKIP_MESSAGE);
  }
  return POSTGRES_ADMIN_URL !== undefined;
}

/** A throwaway database; `drop` removes it (also disconnecting whoever still uses it). */
export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database through the admin connection (DATABASE_URL). */
export async function createTempDatabase(adminUrl: string = requireAdminUrl()): Promise<TempDatabase> {
  const name = `structreg_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** A temporary folder; `remove` deletes it with its contents. */
export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates an empty temporary folder under the OS temp dir. */
export async function createTempDir(prefix = "structreg-test-"): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Empties every structreg table but the migrations (also tables later migrations add), so one PGlite
 * instance (~400 MiB, never released) can serve many tests.
 */
export async function truncateStructregTables(client: SqlClient): Promise<void> {
  const rows = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
     AND tablename LIKE 'structreg\\_%' AND tablename <> 'structreg_migrations'`,
    [],
  );
  if (rows.length === 0) return;
  await client.query(`TRUNCATE ${rows.map((r) => r.tablename).join(", ")} RESTART IDENTITY CASCADE`);
}

function requireAdminUrl(): string {
  if (POSTGRES_ADMIN_URL === undefined) throw new Error(POSTGRES_SKIP_MESSAGE);
  return POSTGRES_ADMIN_URL;
}

async function withAdmin(adminUrl: string, fn: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}
