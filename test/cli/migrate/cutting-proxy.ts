/**
 * An HTTP proxy on 127.0.0.1 in front of a registry that cuts every connection once a number of writes
 * went through: an import interrupted in the middle (a network cut), to be resumed by a re-run.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A running proxy. */
export interface CuttingProxy {
  url: string;
  /** Writes (non-GET requests) forwarded so far. */
  writes(): number;
  /** Stops cutting: every request is forwarded again. */
  heal(): void;
  close(): Promise<void>;
}

/** Forwards to `target` until `writesBeforeCut` writes went through, then cuts every request. */
export async function startCuttingProxy(target: string, writesBeforeCut: number): Promise<CuttingProxy> {
  let writes = 0;
  let limit = writesBeforeCut;
  const server = createServer(async (req, res) => {
    const isWrite = req.method !== "GET";
    if (isWrite && writes >= limit) return void req.socket.destroy();
    const body = await readBody(req);
    if (isWrite) writes++;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && name !== "host" && name !== "content-length") headers[name] = value;
    }
    const answer = await fetch(new URL(req.url ?? "/", target), {
      method: req.method ?? "GET",
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
    res.writeHead(answer.status, {
      "Content-Type": answer.headers.get("content-type") ?? "application/json",
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    writes: () => writes,
    heal: () => {
      limit = Number.POSITIVE_INFINITY;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
