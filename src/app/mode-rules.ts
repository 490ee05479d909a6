/** Confluent's mode rules (KafkaSchemaRegistry.checkRegisterMode, isReadOnlyMode, getModeInScope). */
import { StructregError } from "../core/errors.js";
import { DEFAULT_MODE, isRegistryMode, REGISTRY_MODES, type RegistryMode } from "../core/model.js";
import type { StoredModes } from "./ports.js";

/** An explicit id and/or version of an IMPORT registration (absent: assigned by the registry). */
export interface ExplicitTarget {
  id?: number;
  version?: number;
}

/** The mode in force: a global READONLY_OVERRIDE wins, else the subject's own, else the global, else READWRITE. */
export function effectiveMode(modes: StoredModes): RegistryMode {
  if (modes.global === "READONLY_OVERRIDE") return "READONLY_OVERRIDE";
  return modes.subject ?? modes.global ?? DEFAULT_MODE;
}

/** READONLY and READONLY_OVERRIDE refuse every write but mode changes. */
export function isReadOnly(mode: RegistryMode): boolean {
  return mode === "READONLY" || mode === "READONLY_OVERRIDE";
}

/** Throws SR_READ_ONLY_MODE when `mode` refuses writes to the subject (or to the global config). */
export function assertWritable(subject: string | null, mode: RegistryMode): void {
  if (!isReadOnly(mode)) return;
  const what = subject === null ? "The registry" : `Subject ${subject}`;
  throw new StructregError("SR_READ_ONLY_MODE", `${what} is in read-only mode`, {
    details: { ...(subject === null ? {} : { subject }), mode },
    hint: "PUT /mode (or /mode/{subject}) with READWRITE first (structreg mode --set READWRITE)",
  });
}

/**
 * Confluent's rule for a registration that would store something: refused in a read-only mode; an explicit
 * id or version needs IMPORT; without them IMPORT refuses (a new schema needs its id).
 */
export function assertRegisterMode(subject: string, mode: RegistryMode, explicit: ExplicitTarget): void {
  assertWritable(subject, mode);
  const isExplicit = explicit.id !== undefined || explicit.version !== undefined;
  if (isExplicit && mode !== "IMPORT") {
    throw new StructregError("SR_IMPORT_MODE_REQUIRED", `Subject ${subject} is not in import mode`, {
      details: { subject, mode },
      hint: "PUT /mode/{subject}?force=true with IMPORT first, or register without id and version",
    });
  }
  if (!isExplicit && mode !== "READWRITE") {
    throw new StructregError("SR_READ_WRITE_MODE_REQUIRED", `Subject ${subject} is not in read-write mode`, {
      details: { subject, mode },
      hint: "in IMPORT mode send the schema's id (and version), or set the mode back to READWRITE",
    });
  }
}

/** A mode name as sent (any case, as Confluent) → the mode; SR_INVALID_MODE otherwise. */
export function parseMode(value: unknown): RegistryMode {
  const upper = typeof value === "string" ? value.toUpperCase() : value;
  if (isRegistryMode(upper)) return upper;
  throw new StructregError("SR_INVALID_MODE", `Invalid mode "${String(value).slice(0, 50)}"`, {
    hint: `use ${REGISTRY_MODES.join(", ")}`,
  });
}

/** Reads the explicit id and version of a register request: -1 and absent mean "not given", as in Confluent. */
export function explicitTarget(options: { id?: number; version?: number }): ExplicitTarget {
  const target: ExplicitTarget = {};
  if (options.id !== undefined && options.id !== -1) {
    if (!Number.isSafeInteger(options.id) || options.id < 1 || options.id > 2_147_483_647) {
      throw new StructregError("SR_INVALID_REQUEST", `Invalid schema id ${String(options.id)}`, {
        hint: "an explicit id is an integer 1..2147483647 (-1 or absent: assigned by the registry)",
      });
    }
    target.id = options.id;
  }
  // Confluent treats version 0 and -1 as "not given".
  if (options.version !== undefined && options.version !== -1 && options.version !== 0) {
    if (!Number.isSafeInteger(options.version) || options.version < 1 || options.version > 2_147_483_647) {
      throw new StructregError("SR_INVALID_VERSION", `Invalid version ${String(options.version)}`, {
        hint: "an explicit version is an integer 1..2147483647 (-1, 0 or absent: the next version)",
      });
    }
    target.version = options.version;
  }
  return target;
}
