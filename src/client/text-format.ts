/**
 * The library side of generation: the `text.format` to pass to the caller's own OpenAI call, and the
 * parse of its response pinned to the version whose schema was sent. Formats are computed once per
 * version object (version sources cache those, and a version's schema never changes).
 */
import { buildTextFormat, type JsonSchemaTextFormat } from "../app/generation-format.js";
import type { SourceVersion, ValidationOutcome, VersionSource } from "../app/validation-types.js";
import { StructregError } from "../core/errors.js";
import { toProviderSchema } from "../core/schema/provider-form.js";

/** Options of `textFormat`. */
export interface TextFormatOptions {
  /** Pin a version (else the subject's latest version that is not DISABLED). */
  version?: number | undefined;
  /** Context key; kept for rollout-aware sources (the remote client resolves "latest"). */
  key?: string | undefined;
}

/** A format to send as `text: { format }`, and the version to parse the response against. */
export interface TextFormatAnswer {
  format: JsonSchemaTextFormat;
  version: number;
}

const FORMATS = new WeakMap<SourceVersion, JsonSchemaTextFormat>();

/** The strict `json_schema` text format of a subject's version, in its provider form. */
export async function textFormat(
  source: VersionSource,
  subject: string,
  options: TextFormatOptions = {},
): Promise<TextFormatAnswer> {
  const chosen = chooseVersion(subject, await source.versions(subject), options.version);
  let format = FORMATS.get(chosen);
  if (format === undefined) {
    format = buildTextFormat(subject, chosen.version, toProviderSchema(chosen.schema));
    FORMATS.set(chosen, format);
  }
  return { format, version: chosen.version };
}

/** What `parseResponse` validates with (a validating client's `validate`). */
export type ValidateFn = (
  subject: string,
  output: unknown,
  options: { version?: number; key?: string },
) => Promise<ValidationOutcome>;

/**
 * Validates an OpenAI Responses API response (SDK object or raw body) against the version its format was
 * built from: refusal, incomplete and failed responses come back as typed failures, never as values.
 */
export function parseResponse(
  validate: ValidateFn,
  subject: string,
  response: unknown,
  options: { version?: number | undefined; key?: string | undefined } = {},
): Promise<ValidationOutcome> {
  const pinned: { version?: number; key?: string } = {};
  if (options.version !== undefined) pinned.version = options.version;
  if (options.key !== undefined) pinned.key = options.key;
  return validate(subject, response, pinned);
}

function chooseVersion(
  subject: string,
  versions: SourceVersion[],
  version: number | undefined,
): SourceVersion {
  if (versions.length === 0) {
    throw new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`);
  }
  const found =
    version === undefined
      ? versions.findLast((v) => v.state !== "DISABLED")
      : versions.find((v) => v.version === version);
  if (found !== undefined) return found;
  const which = version === undefined ? "has no enabled version" : `has no version ${version}`;
  throw new StructregError("SR_VERSION_NOT_FOUND", `Subject '${subject}' ${which}.`);
}
