import type { RegisterInput, SchemaStore } from "../../../src/app/ports.js";

/** Returns an empty store for one test. */
export type FreshStore = () => Promise<SchemaStore>;

/** The n-th distinct schema, registered under `subject` (fingerprints are labels here, not real hashes). */
export function input(subject: string, n: number): RegisterInput {
  return {
    subject,
    fingerprint: `fp-${n}`,
    schema: `{"properties":{"f${n}":{"type":"string"}},"type":"object"}`,
  };
}

/** A guard that lets every registration through. */
export const allow = (): void => undefined;
