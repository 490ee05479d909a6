import { once } from "node:events";
import type { Writable } from "./io.js";

interface DrainableWritable extends Writable {
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Writes a chunk and, when the stream asks for it (`write` answered false), waits for `drain`: backpressure,
 * so a fast producer never queues unbounded output in memory. Plain captures (tests) never ask.
 */
export async function writeChunk(out: Writable, chunk: string): Promise<void> {
  const more = out.write(chunk);
  const drainable = out as DrainableWritable;
  if (more === false && typeof drainable.once === "function") {
    await once(drainable as unknown as NodeJS.EventEmitter, "drain");
  }
}
