/**
 * The one helper the registry records its events through: `createRegistryAudits(retention)` builds the
 * `Audit` each store change gets, naming only what changed.
 */
import type { VersionState } from "../core/model.js";
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
type What = { kind: RegistryEventKind; version: number | null; changes: Changes };
/** The facts a config change hands over: the config before, and after (absent for a delete). */
type ConfigFacts = { before: SubjectConfig | undefined; after?: SubjectConfig };

/** The audits of the registry's changes, each for one subject and one author. */
export function createRegistryAudits(retention: EventRetention) {
  function audit<T>(
    subject: string,
    author: ChangeAuthor | undefined,
    describe: (facts: T) => What | undefined,
  ) {
    const by = author ?? LOCAL_AUTHOR;
    const reason = by.reason?.trim().slice(0, MAX_REASON_CHARS) || null;
    return {
      retention,
      describe(facts: T) {
        const what = describe(facts);
        return what && { subject, ...what, who: by.who, scope: by.scope ?? null, reason };
      },
    } satisfies Audit<T>;
  }
  return {
    registered: (subject: string, author: ChangeAuthor | undefined) =>
      audit(subject, author, (r: { id: number; version: number }) => ({
        kind: "registered",
        version: r.version,
        changes: { id: { from: null, to: r.id } },
      })),
    versionDeleted: (
      subject: string,
      author: ChangeAuthor | undefined,
      version: number,
      permanent: boolean,
    ) =>
      audit(subject, author, () => ({
        kind: permanent ? "version-deleted-permanently" : "version-deleted",
        version,
        changes: { deleted: { from: permanent ? "soft" : "no", to: permanent ? "permanent" : "soft" } },
      })),
    subjectDeleted: (subject: string, author: ChangeAuthor | undefined, permanent: boolean) =>
      audit(subject, author, (versions: number[]) => ({
        kind: permanent ? "subject-deleted-permanently" : "subject-deleted",
        version: null,
        changes: { versions: { from: null, to: versions } },
      })),
    stateChanged: (subject: string, author: ChangeAuthor | undefined, version: number, state: VersionState) =>
      audit(subject, author, ({ before }: { before: VersionState }) =>
        before === state
          ? undefined
          : { kind: "state-changed", version, changes: { state: { from: before, to: state } } },
      ),
    /** Subject config changes only (the global config belongs to no subject's log); none when nothing changed. */
    config: (subject: string | null, author: ChangeAuthor | undefined) =>
      subject === null
        ? undefined
        : audit(subject, author, (facts: ConfigFacts) => {
            const changes = configChanges(facts.before, facts.after);
            const kind = facts.after === undefined ? "config-deleted" : "config-changed";
            return changes && { kind, version: null, changes };
          }),
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
