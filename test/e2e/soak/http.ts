import { Agent, fetch } from "undici";

/** What a soak request is for; answers are tallied per kind and status. */
export type RequestKind =
  | "register"
  | "validate"
  | "rollout"
  | "propagation"
  | "metrics"
  | "setup"
  | "verify";

/** One answer: the HTTP status (0 when the request failed without one) and the parsed JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

/** Longest any soak request may take: a request past it is a hang and counts as an error. */
const REQUEST_TIMEOUT_MS = 30_000;
/** At most this many 5xx and transport errors are kept with their bodies for the report. */
const KEPT_FAILURES = 20;

/** Counts every answer by kind and status, and keeps the first few failures (5xx, transport errors). */
export class Tally {
  readonly counts = new Map<RequestKind, Map<string, number>>();
  readonly failures: string[] = [];
  failureCount = 0;

  add(kind: RequestKind, status: string, detail?: string): void {
    let byStatus = this.counts.get(kind);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.counts.set(kind, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    if (detail === undefined) return;
    this.failureCount += 1;
    if (this.failures.length < KEPT_FAILURES) this.failures.push(detail);
  }

  /** `{kind: {status: count}}`, for printing. */
  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [kind, byStatus] of this.counts) out[kind] = Object.fromEntries(byStatus);
    return out;
  }
}

/** A JSON HTTP client over one keep-alive pool per soak, tallying every answer. */
export class SoakHttp {
  private readonly agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

  constructor(readonly tally: Tally) {}

  async call(kind: RequestKind, method: string, url: string, body?: unknown): Promise<Answer> {
    try {
      const res = await fetch(url, {
        method,
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        // undici's own fetch: Node 20's bundled copy is an older undici that cannot drive this Agent.
        dispatcher: this.agent,
      });
      const text = await res.text();
      const failed =
        res.status >= 500 ? `${kind} ${method} ${url} → ${res.status} ${text.slice(0, 300)}` : undefined;
      this.tally.add(kind, String(res.status), failed);
      return { status: res.status, body: parseJson(text) };
    } catch (err) {
      const name = err instanceof Error ? err.name : "Error";
      this.tally.add(kind, `error:${name}`, `${kind} ${method} ${url} → ${String(err)}`);
      return { status: 0, body: undefined };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Runs `workers` copies of `work` until each returns (bounded concurrency, no external tool). */
export async function runWorkers(workers: number, work: (worker: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: workers }, (_, i) => work(i)));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
