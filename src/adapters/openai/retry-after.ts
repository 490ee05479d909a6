/**
 * Server-suggested waits. `retry-after-ms` (OpenAI's, milliseconds) wins over `Retry-After` (seconds or an
 * HTTP date), as the SDK does. The caller caps the result by what remains of its budget.
 */

/** Something with a `get(name)` like `Headers`. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** The wait the server asked for, in milliseconds, or undefined when it asked for none (or nonsense). */
export function retryAfterMs(headers: HeaderReader | undefined, nowMs: number): number | undefined {
  if (headers === undefined) return undefined;
  const ms = Number(headers.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get("retry-after");
  if (raw === null || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^retry)]; `random` is in [0, 1). */
export function backoffMs(retry: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
