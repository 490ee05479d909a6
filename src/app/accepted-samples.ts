/**
 * Keeps a small ring of recent accepted outputs per subject, as evidence for a draft schema (the check view
 * replays them with the quarantined ones). Off the validate path: `offer` is O(1) (a length check and a
 * push onto a bounded queue, dropped and counted when full); a timer writes the queue in one batch.
 * Dry runs (replays, read-scope callers) are not kept, like the quarantine.
 */
import type { AcceptedSample, AcceptedSampleStore } from "./ports.js";
import type { ValidateOptions, ValidationService } from "./validation.js";
import type { ValidationOutcome } from "./validation-types.js";

/** Why an accepted output was not kept. */
export type SampleDrop = "queue_full" | "too_large" | "not_text" | "unstorable" | "write_failed";

/** What the sampler is built from. */
export interface AcceptedSamplerDeps {
  store: AcceptedSampleStore;
  /** Samples kept per subject (the store trims to it on every write). */
  maxPerSubject: number;
  /** Outputs longer than this (UTF-8 bytes) are not kept. */
  maxBytes: number;
  /** Outputs waiting for the next write at most (default 256). */
  queueSize?: number;
  /** Delay between the first queued output and the batch write, ms (default 1000). */
  flushMs?: number;
  onDrop?: (reason: SampleDrop, count: number) => void;
  onRecorded?: (count: number) => void;
}

/** The sampler: `offer` on the validate path, `list` for the evidence, `close` on shutdown. */
export interface AcceptedSampler {
  offer(outcome: ValidationOutcome, output: unknown, options: ValidateOptions | undefined): void;
  list(subject: string, limit: number): Promise<AcceptedSample[]>;
  /** Writes what is queued now (tests; close). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  subject: string;
  version: number;
  raw: string;
}

/** Creates the sampler. */
export function createAcceptedSampler(deps: AcceptedSamplerDeps): AcceptedSampler {
  const queueSize = deps.queueSize ?? 256;
  const flushMs = deps.flushMs ?? 1000;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const drop = (reason: SampleDrop, count = 1) => {
    try {
      deps.onDrop?.(reason, count);
    } catch {
      // Metrics never break validation.
    }
  };

  async function write(batch: Pending[]): Promise<void> {
    const kept = storable(batch, deps, drop);
    if (kept.length === 0) return;
    try {
      await deps.store.add(kept, deps.maxPerSubject);
      deps.onRecorded?.(kept.length);
    } catch {
      drop("write_failed", kept.length);
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    // One write at a time: the next waits for the previous (each is bounded by the store's timeouts).
    writing = writing.then(() => write(batch));
    return writing;
  }

  return {
    offer(outcome, output, options) {
      if (!outcome.ok || options?.dryRun === true) return;
      if (typeof output !== "string") return drop("not_text");
      // A string longer than maxBytes characters has more than maxBytes bytes: refused without encoding it.
      if (output.length > deps.maxBytes) return drop("too_large");
      if (queue.length >= queueSize) return drop("queue_full");
      queue.push({ subject: outcome.subject, version: outcome.version, raw: output });
      if (timer === undefined) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
    },
    list: (subject, limit) => deps.store.list(subject, limit),
    flush,
    close: flush,
  };
}

/** The batch as the store can keep it: within maxBytes, text PostgreSQL holds, the newest maxPerSubject per subject. */
function storable(batch: Pending[], deps: AcceptedSamplerDeps, drop: (r: SampleDrop, n?: number) => void) {
  const perSubject = new Map<string, number>();
  const kept: Pending[] = [];
  for (let i = batch.length - 1; i >= 0; i--) {
    const sample = batch[i]!;
    const seen = perSubject.get(sample.subject) ?? 0;
    if (seen >= deps.maxPerSubject) continue; // older than what the ring keeps anyway
    if (Buffer.byteLength(sample.raw, "utf8") > deps.maxBytes) {
      drop("too_large");
    } else if (sample.raw.includes("\u0000") || !isWellFormed(sample.raw)) {
      drop("unstorable");
    } else {
      perSubject.set(sample.subject, seen + 1);
      kept.push(sample);
    }
  }
  return kept.reverse();
}

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** validate-and-parse that offers every accepted output (not a dry run's) to the sampler. */
export function withAcceptedSamples(inner: ValidationService, sampler: AcceptedSampler): ValidationService {
  const offered = (output: unknown, options: ValidateOptions | undefined, outcome: ValidationOutcome) => {
    sampler.offer(outcome, output, options);
    return outcome;
  };
  return {
    async validate(subject, output, options) {
      return offered(output, options, await inner.validate(subject, output, options));
    },
    validateNow(subject, output, options) {
      const answer = inner.validateNow(subject, output, options);
      return answer instanceof Promise
        ? answer.then((outcome) => offered(output, options, outcome))
        : offered(output, options, answer);
    },
    parser: (version) => inner.parser(version),
  };
}
