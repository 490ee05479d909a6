/** Route schemas of the quarantine (extension): listing, one sample, JSONL export, replay. */
import { ERROR_RESPONSES, SUBJECT_PARAMS } from "./common.js";

const TAGS = ["quarantine"];

const REASONS = ["invalid", "no_json", "refusal", "incomplete", "failed", "too_large", "too_deep"] as const;

/** One quarantined sample. */
export const QUARANTINE_RECORD = {
  type: "object",
  required: [
    "id",
    "subject",
    "version",
    "reason",
    "issues",
    "repairs",
    "raw",
    "rawBytes",
    "rawSha256",
    "truncated",
    "key",
    "status",
    "createdAt",
    "resolvedAt",
    "resolvedVersion",
  ],
  properties: {
    id: { type: "integer" },
    subject: { type: "string" },
    version: { type: "integer", description: "The target version the output failed." },
    reason: { type: "string", enum: REASONS },
    issues: { type: "array", items: { type: "object", additionalProperties: true } },
    repairs: { type: "array", items: { type: "object", additionalProperties: true } },
    raw: { type: "string", description: "The raw output (objects as JSON), capped at the configured size." },
    rawBytes: { type: "integer", description: "UTF-8 size of the full raw output." },
    rawSha256: { type: "string", description: "sha256 hex of the full raw output." },
    truncated: { type: "boolean", description: "True when raw was cut at the cap." },
    key: { type: "string", nullable: true },
    status: { type: "string", enum: ["open", "resolved"] },
    createdAt: { type: "string" },
    resolvedAt: { type: "string", nullable: true },
    resolvedVersion: { type: "integer", nullable: true },
  },
} as const;

/** Filters shared by the listing and the export. */
const FILTERS = {
  status: { type: "string", enum: ["open", "resolved"] },
  reason: { type: "string", enum: REASONS },
  version: { type: "integer", minimum: 1, maximum: 2147483647 },
  since: { type: "string", description: "ISO-8601 lower bound (inclusive) of createdAt." },
  until: { type: "string", description: "ISO-8601 upper bound (exclusive) of createdAt." },
} as const;

export const LIST_QUARANTINE = {
  tags: TAGS,
  summary: "List quarantined samples of a subject, newest first (extension)",
  params: SUBJECT_PARAMS,
  querystring: {
    type: "object",
    properties: {
      ...FILTERS,
      cursor: { type: "integer", minimum: 1, description: "nextCursor of the previous page." },
      limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["items"],
      properties: {
        items: { type: "array", items: QUARANTINE_RECORD },
        nextCursor: { type: "integer", description: "Present when more samples follow." },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;

export const EXPORT_QUARANTINE = {
  tags: TAGS,
  summary: "Export quarantined samples of a subject as JSON lines, an eval set (extension)",
  description: "Answers application/x-ndjson: one sample per line, newest first, streamed.",
  params: SUBJECT_PARAMS,
  querystring: { type: "object", properties: FILTERS },
} as const;

export const GET_SAMPLE = {
  tags: TAGS,
  summary: "Get one quarantined sample (extension)",
  params: {
    type: "object",
    required: ["id"],
    properties: { id: { type: "integer", minimum: 1, maximum: 9007199254740991 } },
  },
  response: { 200: QUARANTINE_RECORD, ...ERROR_RESPONSES },
} as const;

export const REPLAY = {
  tags: TAGS,
  summary: "Replay open samples of a subject through validate-and-parse (extension)",
  description:
    "Re-runs validation (against `version`, else the subject's current target) without quarantining again, " +
    "and marks samples that now pass as resolved. A truncated sample is never marked resolved.",
  params: SUBJECT_PARAMS,
  body: {
    type: "object",
    properties: {
      version: { type: "integer", minimum: 1, maximum: 2147483647 },
      ids: { type: "array", maxItems: 1000, items: { type: "integer", minimum: 1 } },
      limit: { type: "integer", minimum: 1, maximum: 1000 },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["replayed", "recovered", "stillFailing", "items"],
      properties: {
        replayed: { type: "integer" },
        recovered: { type: "integer" },
        stillFailing: { type: "integer" },
        items: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "ok", "resolved"],
            properties: {
              id: { type: "integer" },
              ok: { type: "boolean" },
              resolved: { type: "boolean" },
              version: { type: "integer" },
              track: { type: "string" },
              reason: { type: "string" },
            },
          },
        },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;
