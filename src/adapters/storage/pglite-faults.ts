import * as fs from "node:fs";
import * as path from "node:path";
import { StructregError } from "../../core/errors.js";
import { toStoreError } from "./sql-client.js";

/** Below this much free space in the data folder PGlite cannot start (it writes a 16 MiB WAL segment). */
const MIN_FREE_BYTES = 32 * 1024 * 1024;

/**
 * Whether a PGlite error leaves the instance unusable. PostgreSQL treats a failed WAL write as a PANIC and
 * restarts; PGlite cannot, and its next transaction fails with "unexpected state". Its files stay intact
 * (the failed statement was never acknowledged), so a restart with room to write recovers it.
 */
export function isWedging(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : "";
  return /unexpected state|PANIC|"pg_wal\//.test(`${message} ${cause}`);
}

/** The answer to every statement once PGlite is unusable. */
export function wedgedError(cause: unknown): StructregError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StructregError(
    "SR_STORE_UNAVAILABLE",
    `The embedded database (PGlite) stopped after a write failed (${reason}); its files are intact`,
    {
      cause,
      hint: "free disk space or make the data folder writable, then restart structreg",
    },
  );
}

/**
 * Why PGlite could not open a data folder, in words a user can act on: no space left, or a folder that
 * cannot be written; otherwise the driver's own error.
 */
export function diagnoseOpenFailure(dataDir: string, err: unknown): StructregError {
  try {
    const stats = fs.statfsSync(dataDir);
    const free = stats.bavail * stats.bsize;
    if (free < MIN_FREE_BYTES) {
      return new StructregError(
        "SR_STORE_UNAVAILABLE",
        `Cannot open the data folder ${dataDir}: only ${Math.floor(free / 1024)} KiB free on its disk`,
        {
          cause: err,
          hint: `free at least ${MIN_FREE_BYTES / 1024 / 1024} MiB on that disk, or point STRUCTREG_DATA_DIR elsewhere`,
        },
      );
    }
    const probe = path.join(dataDir, `.structreg-write-probe-${process.pid}`);
    fs.writeFileSync(probe, "probe");
    fs.rmSync(probe, { force: true });
  } catch (probeError) {
    return toStoreError(probeError, `opening the data folder ${dataDir}`);
  }
  return toStoreError(err, "opening PGlite");
}
