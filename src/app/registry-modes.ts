import { StructregError } from "../core/errors.js";
import type { RegistryMode } from "../core/model.js";
import { assertWritable, effectiveMode, parseMode } from "./mode-rules.js";
import type { SchemaStore } from "./ports.js";
import { assertSubjectName } from "./registry-rules.js";
import type { RegistryService } from "./registry-types.js";

/** The mode use cases of the registry, and the write check every other write use case calls first. */
export interface ModeUseCases extends Pick<RegistryService, "getMode" | "setMode" | "deleteMode"> {
  /** Throws SR_READ_ONLY_MODE when the subject's (or, for null, the global) mode in force refuses writes. */
  assertWritable(subject: string | null): Promise<void>;
}

/**
 * Modes are read from the store on every use, never cached: a mode changed through one instance is enforced
 * by every instance sharing the database on its next request.
 */
export function createModeUseCases(store: SchemaStore): ModeUseCases {
  async function modeInScope(subject: string | null): Promise<RegistryMode> {
    return effectiveMode(await store.getModes(subject));
  }

  return {
    async getMode(subject, options = {}) {
      if (subject === null) return (await store.getModes(null)).global ?? "READWRITE";
      const modes = await store.getModes(subject);
      if (options.defaultToGlobal === true) return effectiveMode(modes);
      if (modes.subject === undefined) {
        throw new StructregError(
          "SR_SUBJECT_MODE_NOT_FOUND",
          `Subject '${subject}' does not have subject-level mode configured`,
          { details: { subject }, hint: "add ?defaultToGlobal=true to see the mode in force" },
        );
      }
      return modes.subject;
    },

    async setMode(subject, value, options = {}) {
      if (subject !== null) assertSubjectName(subject);
      const mode = parseMode(value);
      // Confluent: entering IMPORT needs an empty scope (no live version) unless forced or already IMPORT.
      const ifEmpty =
        mode === "IMPORT" && options.force !== true && (await modeInScope(subject)) !== "IMPORT";
      if (!(await store.setMode(subject, mode, { ifEmpty }))) {
        throw new StructregError("SR_IMPORT_NOT_EMPTY", "Cannot import since found existing subjects", {
          details: { ...(subject === null ? {} : { subject }) },
          hint: "import into an empty registry or subject, or add ?force=true (structreg mode --set IMPORT --force)",
        });
      }
      return mode;
    },

    async deleteMode(subject) {
      const removed = await store.deleteMode(subject);
      // Confluent answers 40401 when the subject has no mode of its own to delete.
      if (removed === undefined) {
        throw new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`, {
          details: { subject },
          hint: "the subject has no mode of its own (GET /mode/{subject}?defaultToGlobal=true)",
        });
      }
      return removed;
    },

    async assertWritable(subject) {
      assertWritable(subject, await modeInScope(subject));
    },
  };
}
