import type { QuarantineStore } from "../../../src/app/ports.js";
import type { NewQuarantineEntry, QuarantineRetention } from "../../../src/app/validation-types.js";

/** Returns an empty quarantine store for one test. */
export type FreshQuarantine = () => Promise<QuarantineStore>;

/** A fixed instant the tests count from (times are passed in, never read from the clock). */
export const T0 = new Date("2026-03-01T12:00:00.000Z");

/** `T0` plus `minutes`. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

/** Retention that never drops anything in these tests. */
export const KEEP_ALL: QuarantineRetention = { maxPerSubject: 1_000_000, maxAgeMs: 365 * 86_400_000 };

/** The n-th sample of a subject: a missing-property failure of version 1 (override any field). */
export function sample(
  subject: string,
  n: number,
  overrides: Partial<NewQuarantineEntry> = {},
): NewQuarantineEntry {
  const raw = `{"n":${n}}`;
  return {
    subject,
    version: 1,
    reason: "invalid",
    issues: [{ code: "missing_property", path: "/title", property: "title", message: "is required" }],
    repairs: [],
    raw,
    rawBytes: raw.length,
    rawSha256: `sha-${subject}-${n}`,
    truncated: false,
    key: `key-${n}`,
    ...overrides,
  };
}

/** Adds `count` samples to `subject`, one minute apart from `startMinute`; returns their ids, oldest first. */
export async function addMany(
  store: QuarantineStore,
  subject: string,
  count: number,
  startMinute = 0,
): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await store.add(sample(subject, i), KEEP_ALL, at(startMinute + i))).id);
  }
  return ids;
}
