import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where the PostgreSQL server binaries are (Debian's postgresql-15; STRUCTREG_PG_BIN overrides). */
export const PG_BIN = process.env.STRUCTREG_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Why tests that restart PostgreSQL are skipped, when they are. */
export const OWN_POSTGRES_SKIP_MESSAGE = `PostgreSQL fault tests skipped: no initdb/pg_ctl in ${PG_BIN} (install postgresql-15 or set STRUCTREG_PG_BIN)`;

/** Whether this machine can start a throwaway PostgreSQL cluster. Prints the skip message once when not. */
export function ownPostgresAvailable(): boolean {
  const ok = existsSync(join(PG_BIN, "initdb")) && existsSync(join(PG_BIN, "pg_ctl"));
  if (!ok) console.warn(OWN_POSTGRES_SKIP_MESSAGE);
  return ok;
}

/** A throwaway PostgreSQL cluster this test owns: it may stop, start and restart it at will. */
export interface OwnPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** `pg_ctl stop` (fast: open sessions get admin_shutdown, 57P01). */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl restart -m fast`. */
  restart(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

/**
 * initdb + pg_ctl start on a free loopback port, in a temporary folder. As root, the cluster runs as the
 * `postgres` user (initdb refuses root), like .ci/run does.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "structreg-own-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (bin: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(PG_BIN, bin), ...args])
      : run(join(PG_BIN, bin), args);
  const data = join(dir, "data");
  await pg("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const ctl = (args: string[]) =>
    pg("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", ...args]);
  const cluster: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async (mode = "fast") => {
      await ctl(["-m", mode, "stop"]);
    },
    start: async () => {
      await ctl(["-o", options, "start"]);
    },
    restart: async () => {
      await ctl(["-m", "fast", "-o", options, "restart"]);
    },
    async destroy() {
      await ctl(["-m", "immediate", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
