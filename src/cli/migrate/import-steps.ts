/**
 * The steps of an import run: each asks the target first (skip what is there, fail what differs, write
 * what is missing), puts a subject in IMPORT mode before its first write and restores the modes at the end.
 */
import { isStructregError, StructregError } from "../../core/errors.js";
import { canonicalJson } from "../../core/schema/canonical.js";
import type { RunOptions } from "./import-run.js";
import { forEachLimited } from "./pool.js";
import { type Settings, type VersionRecord, versionKey } from "./records.js";
import type { ImportReport } from "./report.js";
import type { TargetVersion } from "./target.js";

const IMPORT_MODE = "IMPORT";

/** How one step ended. */
export type Outcome = "applied" | "skipped" | "failed";

/** Runs the steps of one import, counting them into its report. */
export class Runner {
  total = 0;
  private done = 0;
  private readonly entered = new Set<string>();
  private readonly seen = new Map<string, TargetVersion | undefined>();

  constructor(
    private readonly options: RunOptions,
    private readonly report: ImportReport,
  ) {}

  /**
   * Runs one step unless an earlier run finished it; a step's own failure is reported, not thrown.
   * True when the step is done (now or before), false when it failed.
   */
  async step(key: string, work: () => Promise<Outcome>): Promise<boolean> {
    const state = this.options.state;
    if (this.options.signal?.aborted === true) throw interrupted();
    this.options.onStep?.({ done: this.done, total: this.total, step: key });
    let outcome: Outcome = "skipped";
    if (state?.isDone(key) !== true) {
      outcome = await work();
      if (outcome !== "failed") state?.markDone(key);
    }
    this.count(key, outcome);
    this.done++;
    return outcome !== "failed";
  }

  private count(key: string, outcome: Outcome): void {
    const kind = key.slice(0, key.indexOf(":"));
    const r = this.report;
    if (outcome === "applied") r.changed = true;
    if (kind === "version") {
      if (outcome === "applied") r.versions.copied++;
      else if (outcome === "skipped") r.versions.skipped++;
      else r.versions.failed++;
      return;
    }
    const bucket = kind === "state" ? r.states : kind === "delete" ? r.deletes : r.configs;
    if (outcome !== "failed") bucket[outcome]++;
  }

  async settings(subject: string | null, wanted: Settings): Promise<Outcome> {
    const fields = Object.keys(wanted) as Array<keyof Settings>;
    if (fields.length === 0) return "skipped";
    return this.guard(`config:${subject ?? "(global)"}`, subject ?? "(global)", undefined, async () => {
      const own = await this.options.target.getOwnSettings(subject);
      if (own !== undefined && fields.every((f) => own[f] === wanted[f])) return "skipped";
      if (!this.options.dryRun) await this.options.target.setSettings(subject, wanted);
      return "applied";
    });
  }

  async version(v: VersionRecord): Promise<Outcome> {
    const key = `version:${versionKey(v.subject, v.version)}`;
    return this.guard(key, v.subject, v, async () => {
      if (v.schemaType !== "JSON") {
        return this.fail(
          key,
          v,
          "SR_UNSUPPORTED_SCHEMA_TYPE",
          `${v.schemaType} schemas cannot be imported: structreg holds JSON Schema only`,
        );
      }
      const existing = await this.targetVersion(v);
      if (existing !== undefined) return this.compare(key, v, existing);
      if (this.options.dryRun) return "applied";
      await this.enterImportMode(v.subject);
      const answer = await this.options.target.importVersion(v);
      if (answer.id !== v.id || answer.version !== v.version) {
        return this.fail(
          key,
          v,
          "SR_IMPORT_CONFLICT",
          `the target registered it as version ${answer.version} with id ${answer.id}`,
        );
      }
      this.seen.set(versionKey(v.subject, v.version), {
        id: v.id,
        schema: v.schema,
        deleted: false,
        state: "ENABLED",
      });
      return "applied";
    });
  }

  async state(v: VersionRecord): Promise<Outcome> {
    const key = `state:${versionKey(v.subject, v.version)}`;
    return this.guard(key, v.subject, v, async () => {
      const existing = await this.targetVersion(v);
      if (existing === undefined && !this.options.dryRun)
        return this.fail(key, v, "SR_VERSION_NOT_FOUND", "the version is not in the target");
      if (existing !== undefined && !isSameVersion(existing, v)) return this.notOurs(key, v);
      if (existing?.state === v.state) return "skipped";
      if (!this.options.dryRun) {
        await this.enterImportMode(v.subject);
        await this.options.target.setState(v.subject, v.version, v.state as string);
      }
      return "applied";
    });
  }

  async softDelete(v: VersionRecord): Promise<Outcome> {
    const key = `delete:${versionKey(v.subject, v.version)}`;
    return this.guard(key, v.subject, v, async () => {
      const existing = await this.targetVersion(v);
      if (existing !== undefined && !isSameVersion(existing, v)) return this.notOurs(key, v);
      if (existing?.deleted === true) return "skipped";
      if (!this.options.dryRun) {
        await this.enterImportMode(v.subject);
        await this.options.target.softDelete(v.subject, v.version);
      }
      return "applied";
    });
  }

  /**
   * Asks the target about every version with a step left, a few subjects at a time, before the steps run
   * one by one: one listing per subject, and a version read only where the listing has that number.
   */
  async prefetch(versions: readonly VersionRecord[], concurrency: number): Promise<void> {
    const bySubject = new Map<string, VersionRecord[]>();
    for (const v of versions) {
      if (!this.hasStepLeft(v)) continue;
      const list = bySubject.get(v.subject);
      if (list === undefined) bySubject.set(v.subject, [v]);
      else list.push(v);
    }
    await forEachLimited([...bySubject], concurrency, async ([subject, wanted]) => {
      try {
        const numbers = new Set((await this.options.target.listVersions(subject)) ?? []);
        for (const v of wanted) {
          const key = versionKey(v.subject, v.version);
          this.seen.set(
            key,
            numbers.has(v.version) ? await this.options.target.getVersion(subject, v.version) : undefined,
          );
        }
      } catch (err) {
        // A refusal of one subject (e.g. a name structreg does not accept) is reported by its steps.
        if (!isStructregError(err) || isFatal(err.code)) throw err;
      }
    });
  }

  private hasStepLeft(v: VersionRecord): boolean {
    const done = (kind: string) =>
      this.options.state?.isDone(`${kind}:${versionKey(v.subject, v.version)}`) === true;
    const hasState = v.state !== undefined && v.state !== "ENABLED";
    return !done("version") || (hasState && !done("state")) || (v.deleted && !done("delete"));
  }

  /** Puts the subject in IMPORT mode before its first write, remembering (durably) the mode it had. */
  private async enterImportMode(subject: string): Promise<void> {
    if (this.entered.has(subject)) return;
    const target = this.options.target;
    const state = this.options.state;
    // A resumed run restores the mode the first run found; the target now says IMPORT.
    const previous =
      state?.modes.has(subject) === true
        ? (state.modes.get(subject) ?? null)
        : await target.getSubjectMode(subject);
    state?.recordMode(subject, previous);
    if (previous !== IMPORT_MODE) await target.setSubjectMode(subject, IMPORT_MODE);
    this.entered.add(subject);
  }

  /** Puts back every mode this import (or the interrupted run it resumes) changed. */
  async restoreModes(finished: boolean): Promise<void> {
    const state = this.options.state;
    if (state === undefined) return;
    let restored = true;
    for (const [subject, previous] of state.modes) {
      if (previous === IMPORT_MODE) continue;
      try {
        await this.options.target.setSubjectMode(subject, previous);
      } catch (err) {
        restored = false;
        this.report.attention.push(
          `${subject} is still in IMPORT mode (${message(err)}): run the import again to restore ${previous ?? "its default mode"}`,
        );
      }
    }
    if (restored && finished) state.finish();
  }

  private async targetVersion(v: VersionRecord): Promise<TargetVersion | undefined> {
    const key = versionKey(v.subject, v.version);
    if (!this.seen.has(key)) this.seen.set(key, await this.options.target.getVersion(v.subject, v.version));
    return this.seen.get(key);
  }

  /**
   * The target's version at this place is another one (a conflict): its state and deletion are not the
   * import's to change. The version step already listed the conflict, unless an earlier run did.
   */
  private notOurs(key: string, v: VersionRecord): Outcome {
    const listed = this.report.failures.some((f) => f.step === `version:${versionKey(v.subject, v.version)}`);
    if (listed) return "failed";
    return this.fail(key, v, "SR_IMPORT_CONFLICT", "the target holds another version there: left as it is");
  }

  private compare(key: string, v: VersionRecord, existing: TargetVersion): Outcome {
    if (existing.id !== v.id)
      return this.fail(
        key,
        v,
        "SR_IMPORT_CONFLICT",
        `the target holds id ${existing.id} there, the source id ${v.id}`,
      );
    if (!sameSchema(existing.schema, v.schema))
      return this.fail(key, v, "SR_IMPORT_CONFLICT", "the target holds another schema there");
    if (existing.deleted && !v.deleted)
      this.report.attention.push(
        `${versionKey(v.subject, v.version)} is soft-deleted in the target but live in the source`,
      );
    return "skipped";
  }

  private async guard(
    key: string,
    subject: string,
    v: VersionRecord | undefined,
    work: () => Promise<Outcome>,
  ): Promise<Outcome> {
    try {
      return await work();
    } catch (err) {
      // Broken infrastructure (target unreachable, auth) stops the run; a refusal of this one step does not.
      if (!isStructregError(err) || isFatal(err.code)) throw err;
      this.report.failures.push({
        step: key,
        subject,
        ...versionFields(v),
        code: err.code,
        message: err.message,
      });
      return "failed";
    }
  }

  private fail(key: string, v: VersionRecord, code: string, text: string): Outcome {
    this.report.failures.push({ step: key, subject: v.subject, ...versionFields(v), code, message: text });
    return "failed";
  }
}

const FATAL = new Set([
  "SR_SERVER_UNREACHABLE",
  "SR_UNAUTHORIZED",
  "SR_FORBIDDEN",
  "SR_ROUTE_NOT_FOUND",
  "SR_HOST_NOT_ALLOWED",
  "SR_FILE_ACCESS",
  "SR_UNAVAILABLE",
  "SR_STORE_UNAVAILABLE",
]);

function isFatal(code: string): boolean {
  return FATAL.has(code);
}

function versionFields(v: VersionRecord | undefined): { version?: number; id?: number } {
  return v === undefined ? {} : { version: v.version, id: v.id };
}

/** The error of a run stopped by SIGINT/SIGTERM. */
export function interrupted(): StructregError {
  return new StructregError(
    "SR_IMPORT_INTERRUPTED",
    "the import was interrupted: it stopped after the step in progress",
    {
      hint: "run the same command again to resume",
    },
  );
}

function isSameVersion(existing: TargetVersion, v: VersionRecord): boolean {
  return existing.id === v.id && sameSchema(existing.schema, v.schema);
}

function sameSchema(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
