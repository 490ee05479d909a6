/**
 * The one helper the registry records its events through: builds the `Audit` each store change gets,
 * naming only what changed.
 */
import type { SubjectConfig } from "./ports.js";
import {
  type Audit,
  type ChangeAuthor,
  type ChangeValue,
  type EventRetention,
  LOCAL_AUTHOR,
  MAX_REASON_CHARS,
  type RegistryEventInput,
  type RegistryEventKind,
} from "./registry-events.js";

type Changes = RegistryEventInput["changes"];
type Describe<T> = (
  facts: T,
) => { kind: RegistryEventKind; version: number | null; changes: Changes } | undefined;

/** Builds audits for one subject's change by one author. */
export function createAuditor(retention: EventRetention) {
  return function audit<T>(
    subject: string,
    author: ChangeAuthor | undefined,
    describe: Describe<T>,
  ): Audit<T> {
    const by = author ?? LOCAL_AUTHOR;
    const reason = by.reason?.trim().slice(0, MAX_REASON_CHARS) || null;
    return {
      retention,
      describe(facts) {
        const what = describe(facts);
        return what && { subject, ...what, who: by.who, scope: by.scope ?? null, reason };
      },
    };
  };
}

/** "from → to" of the fields of two configs that differ (absent is null); undefined when none does. */
export function configChanges(
  before: SubjectConfig | undefined,
  after: SubjectConfig | undefined,
): Changes | undefined {
  const changes: Changes = {};
  for (const field of ["compatibility", "policy", "profile"] as const) {
    const from: ChangeValue = before?.[field] ?? null;
    const to: ChangeValue = after?.[field] ?? null;
    if (from !== to) changes[field] = { from, to };
  }
  return Object.keys(changes).length === 0 ? undefined : changes;
}
