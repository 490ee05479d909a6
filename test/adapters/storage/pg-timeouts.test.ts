import { createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import { openPostgres } from "../../../src/adapters/storage/pg.js";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../../helpers/databases.js";

/** A TCP server that accepts connections and never says a word (a hung database, a black-holed proxy). */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `postgres://nobody@127.0.0.1:${port}/none`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("PostgreSQL timeouts answer SR_STORE_UNAVAILABLE instead of hanging", () => {
  test("a server that accepts the connection and never answers: the connect timeout ends the wait", async () => {
    const silent = await silentServer();
    try {
      await expect(
        openPostgres({ connectionString: silent.url, connectTimeoutMs: 300 }),
      ).rejects.toMatchObject({ code: "SR_STORE_UNAVAILABLE", status: 503 });
    } finally {
      await silent.close();
    }
  });

  describe.skipIf(!postgresAvailable())("on a real server", () => {
    let db: TempDatabase;
    const cleanups: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    test("a statement running past statement_timeout is cancelled and answers 503; the pool goes on", async () => {
      db = await createTempDatabase();
      cleanups.push(() => db.drop());
      const client = await openPostgres({ connectionString: db.url, statementTimeoutMs: 200, max: 2 });
      cleanups.push(() => client.close());
      await expect(client.query("SELECT pg_sleep(5)")).rejects.toMatchObject({
        code: "SR_STORE_UNAVAILABLE",
        message: expect.stringContaining("took too long"),
      });
      await expect(client.transaction(async (tx) => tx.query("SELECT pg_sleep(5)"))).rejects.toMatchObject({
        code: "SR_STORE_UNAVAILABLE",
      });
      expect(await client.query<{ one: number }>("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    });

    test("a full pool: a caller waiting longer than the connect timeout answers 503", async () => {
      const client = await openPostgres({
        connectionString: db.url,
        max: 1,
        connectTimeoutMs: 200,
        statementTimeoutMs: 5000,
      });
      cleanups.push(() => client.close());
      const holding = client.transaction(async (tx) => tx.query("SELECT pg_sleep(1)"));
      await expect(client.transaction(async (tx) => tx.query("SELECT 1"))).rejects.toMatchObject({
        code: "SR_STORE_UNAVAILABLE",
      });
      await holding;
    });
  });
});
