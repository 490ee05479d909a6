/**
 * The registry's event log: every registration, state change, delete and subject config change, dated and
 * signed, written by the store in the same transaction as the change it records (see `Audit`).
 */

/** What happened to a subject. */
export const REGISTRY_EVENT_KINDS = [
  "registered",
  "state-changed",
  "version-deleted",
  "version-deleted-permanently",
  "subject-deleted",
  "subject-deleted-permanently",
  "config-changed",
  "config-deleted",
] as const;
/** One of REGISTRY_EVENT_KINDS. */
export type RegistryEventKind = (typeof REGISTRY_EVENT_KINDS)[number];

/** A value before or after a change (null: absent). */
export type ChangeValue = string | number | number[] | null;

/** What an event records, before the store dates and numbers it. */
export interface RegistryEventInput {
  subject: string;
  kind: RegistryEventKind;
  /** The version concerned; null for subject-wide events (subject deletes, config changes). */
  version: number | null;
  /** Only what changed: field → before and after. */
  changes: Record<string, { from: ChangeValue; to: ChangeValue }>;
  /** Token name, or "local" when the server has no tokens. */
  who: string;
  /** The token's highest scope; null without tokens. */
  scope: string | null;
  reason: string | null;
}

/** A stored event: numbered (ids grow with time) and dated (ISO-8601, UTC). */
export interface RegistryEvent extends RegistryEventInput {
  id: number;
  at: string;
}

/** How much of a subject's log is kept: the newest `maxPerSubject` events, none older than `maxAgeMs` (0: no age limit). */
export interface EventRetention {
  maxPerSubject: number;
  maxAgeMs: number;
}

/** Default retention: 1,000 events per subject, one year. */
export const DEFAULT_EVENT_RETENTION: EventRetention = { maxPerSubject: 1_000, maxAgeMs: 365 * 86_400_000 };

/**
 * Handed to a store's change: once the change is made (inside its transaction) the store calls `describe`
 * with what it found there (a version's previous state, the config before and after …) and writes the
 * event it returns (none when undefined: nothing changed) in the same transaction, then applies `retention`.
 */
export interface Audit<T> {
  describe(facts: T): RegistryEventInput | undefined;
  retention: EventRetention;
}

/** Who asks for a change, and why (the HTTP layer and the console fill it from the token or session). */
export interface ChangeAuthor {
  who: string;
  scope?: string | null;
  reason?: string | null;
}

/** The author of a change made without tokens. */
export const LOCAL_AUTHOR: ChangeAuthor = { who: "local", scope: null };

/** Longest reason kept, characters (longer ones are cut). */
export const MAX_REASON_CHARS = 500;

/** A page of events, newest first. `before` is an event id (exclusive); `limit` at most MAX_EVENTS_PAGE. */
export interface EventQuery {
  limit: number;
  before?: number;
}

/** Most events one call returns. */
export const MAX_EVENTS_PAGE = 500;

/** True for a known event kind. */
export function isRegistryEventKind(value: string): value is RegistryEventKind {
  return (REGISTRY_EVENT_KINDS as readonly string[]).includes(value);
}
