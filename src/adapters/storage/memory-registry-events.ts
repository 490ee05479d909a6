import type { Audit, EventQuery, RegistryEvent } from "../../app/registry-events.js";

/** The memory store's event log: per subject, oldest first, with the SQL log's retention. */
export class MemoryEventLog {
  private readonly bySubject = new Map<string, RegistryEvent[]>();
  private nextId = 1;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Writes the event `audit` describes for `facts`, then applies its retention to the subject's log. */
  record<T>(audit: Audit<T> | undefined, facts: T): void {
    const event = audit?.describe(facts);
    if (audit === undefined || event === undefined) return;
    const now = this.nowMs();
    const log = this.bySubject.get(event.subject) ?? [];
    log.push({ ...event, id: this.nextId++, at: new Date(now).toISOString() });
    const { maxPerSubject, maxAgeMs } = audit.retention;
    const oldest = maxAgeMs > 0 ? now - maxAgeMs : Number.NEGATIVE_INFINITY;
    const kept = log.slice(-maxPerSubject).filter((e) => Date.parse(e.at) >= oldest);
    this.bySubject.set(event.subject, kept);
  }

  /** A page of a subject's events, newest first. */
  list(subject: string, query: EventQuery): RegistryEvent[] {
    const log = this.bySubject.get(subject) ?? [];
    const before = query.before ?? Number.POSITIVE_INFINITY;
    const page: RegistryEvent[] = [];
    for (let i = log.length - 1; i >= 0 && page.length < query.limit; i--) {
      const event = log[i]!;
      if (event.id < before) page.push(structuredClone(event));
    }
    return page;
  }
}
