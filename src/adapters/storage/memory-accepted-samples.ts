import type { AcceptedSample, AcceptedSampleStore } from "../../app/ports.js";

/** The in-memory AcceptedSampleStore (tests, createTestServices). */
export function createMemoryAcceptedSampleStore(): AcceptedSampleStore {
  const bySubject = new Map<string, AcceptedSample[]>();
  let nextId = 1;
  return {
    async add(batch, maxPerSubject) {
      const at = new Date().toISOString();
      for (const sample of batch) {
        const ring = bySubject.get(sample.subject) ?? [];
        ring.push({ ...sample, id: nextId++, at });
        bySubject.set(sample.subject, ring.slice(-maxPerSubject));
      }
    },
    async list(subject, limit) {
      return (bySubject.get(subject) ?? []).slice(-limit).reverse();
    },
  };
}
