import type { AcceptedSample, AcceptedSampleStore } from "../../app/ports.js";
import type { SqlClient } from "./sql-client.js";

/** AcceptedSampleStore over a SqlClient (PGlite or PostgreSQL, after `migrate`). */
export function createSqlAcceptedSampleStore(client: SqlClient): AcceptedSampleStore {
  return {
    async add(batch, maxPerSubject) {
      if (batch.length === 0) return;
      await client.transaction(async (tx) => {
        // One statement for the batch: unnest keeps the parameter count fixed whatever its size.
        await tx.query(
          `INSERT INTO structreg_accepted_samples (subject, version, raw)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[])`,
          [batch.map((s) => s.subject), batch.map((s) => s.version), batch.map((s) => s.raw)],
        );
        for (const subject of new Set(batch.map((s) => s.subject))) {
          await tx.query(
            `DELETE FROM structreg_accepted_samples WHERE subject = $1 AND id <= (
               SELECT id FROM structreg_accepted_samples WHERE subject = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
            [subject, maxPerSubject],
          );
        }
      });
    },
    async list(subject, limit) {
      const rows = await client.query<Omit<AcceptedSample, "id"> & { id: string | number }>(
        `SELECT id, subject, version, raw,
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
         FROM structreg_accepted_samples WHERE subject = $1 ORDER BY id DESC LIMIT $2`,
        [subject, limit],
      );
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    },
  };
}
