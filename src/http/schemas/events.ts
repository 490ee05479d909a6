/** Route schema of a subject's registry event log: GET /subjects/{s}/events (structreg extension). */
import { MAX_EVENTS_PAGE, REGISTRY_EVENT_KINDS } from "../../app/registry-events.js";
import { ERROR_RESPONSES, SUBJECT_PARAMS } from "./common.js";

const CHANGE_VALUE = {
  anyOf: [
    { type: "string" },
    { type: "number" },
    { type: "array", items: { type: "integer" } },
    { type: "null" },
  ],
} as const;

const EVENT = {
  type: "object",
  required: ["id", "subject", "kind", "version", "changes", "who", "scope", "reason", "at"],
  properties: {
    id: { type: "integer", description: "Grows with time; pass as `before` to page." },
    subject: { type: "string" },
    kind: { type: "string", enum: REGISTRY_EVENT_KINDS },
    version: { type: ["integer", "null"], description: "Null for subject-wide events." },
    changes: {
      type: "object",
      description: "Only what changed: field → {from, to} (null: absent).",
      additionalProperties: {
        type: "object",
        required: ["from", "to"],
        properties: { from: CHANGE_VALUE, to: CHANGE_VALUE },
      },
    },
    who: { type: "string", description: 'Token name, or "local" on a server without tokens.' },
    scope: { type: ["string", "null"], description: "The token's strongest scope." },
    reason: { type: ["string", "null"], description: "From the X-Structreg-Reason header, when sent." },
    at: { type: "string", format: "date-time" },
  },
} as const;

export const GET_SUBJECT_EVENTS = {
  tags: ["subjects"],
  summary:
    "A subject's registry events (registrations, state changes, deletes, config changes), newest first",
  description:
    "Written in the same transaction as the change. Kept after a permanent delete until retention drops them " +
    "(STRUCTREG_EVENTS_MAX_PER_SUBJECT, STRUCTREG_EVENTS_MAX_AGE_DAYS). Rollout events are at /subjects/{s}/rollout/history.",
  params: SUBJECT_PARAMS,
  querystring: {
    type: "object",
    properties: {
      limit: { type: "integer", minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100 },
      before: { type: "integer", minimum: 1, description: "Only events with a smaller id (paging)." },
    },
  },
  response: { 200: { type: "array", items: EVENT }, ...ERROR_RESPONSES },
} as const;
