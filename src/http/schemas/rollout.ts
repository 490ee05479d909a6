/** Route schemas of the rollout resource: /subjects/{s}/rollout … (structreg extension). */
import { ROLLOUT_ACTIONS, ROLLOUT_STAGES } from "../../core/rollout/model.js";
import { ERROR_RESPONSES, SUBJECT_PARAMS } from "./common.js";

const VERSION_OR_NULL = { type: ["integer", "null"] } as const;

const GUARD = {
  type: "object",
  properties: {
    thresholdPercent: { type: "number", description: "Candidate failure rate (%) that triggers a rollback." },
    minSample: { type: "integer", description: "Candidate outcomes needed before the guard judges." },
    windowSeconds: { type: "integer", description: "Sliding window of the guard, seconds." },
    shadowPercent: {
      type: "number",
      description: "Share of outputs also run through the candidate in shadow.",
    },
    enabled: { type: "boolean", description: "False: figures only, no automatic rollback." },
  },
} as const;

const SNAPSHOT = {
  type: "object",
  required: ["stable", "candidate", "percent", "stage"],
  properties: {
    stable: { type: "integer" },
    candidate: VERSION_OR_NULL,
    percent: { type: "number" },
    stage: { type: "string", enum: ROLLOUT_STAGES },
  },
} as const;

const COUNTS = {
  type: "object",
  properties: {
    version: { type: "integer" },
    total: { type: "integer" },
    failed: { type: "integer" },
    ratePercent: { type: "number" },
  },
} as const;

const FIGURES = {
  type: ["object", "null"],
  properties: {
    candidate: COUNTS,
    stable: COUNTS,
    thresholdPercent: { type: "number" },
    minSample: { type: "integer" },
    windowSeconds: { type: "integer" },
  },
} as const;

/** A rollout as GET/PUT/POST answer it. */
const ROLLOUT_VIEW = {
  type: "object",
  required: [
    "subject",
    "stable",
    "candidate",
    "percent",
    "stage",
    "guard",
    "revision",
    "updatedAt",
    "updatedBy",
    "flagKey",
    "configured",
    "mode",
  ],
  properties: {
    subject: { type: "string" },
    ...SNAPSHOT.properties,
    guard: { ...GUARD, required: Object.keys(GUARD.properties) },
    revision: { type: "integer", description: "Send it back as `revision` to refuse a stale write (409)." },
    updatedAt: { type: "string" },
    updatedBy: { type: "string", description: 'Token name, "cli" or "system".' },
    flagKey: { type: "string", description: "The subject's flag key." },
    configured: { type: "boolean", description: "False: no rollout stored yet (defaults shown)." },
    mode: { type: "string", enum: ["embedded", "launchdarkly"] },
    figures: { ...FIGURES, description: "The guard's current window in this process (null when idle)." },
  },
} as const;

const EVENT = {
  type: "object",
  required: ["id", "subject", "revision", "action", "who", "at", "from", "to", "reason", "figures"],
  properties: {
    id: { type: "integer" },
    subject: { type: "string" },
    revision: { type: "integer" },
    action: { type: "string", enum: ROLLOUT_ACTIONS },
    who: { type: "string" },
    at: { type: "string" },
    from: { ...SNAPSHOT, type: ["object", "null"] },
    to: SNAPSHOT,
    reason: { type: ["string", "null"] },
    figures: FIGURES,
  },
} as const;

const TAGS = ["rollout"];
const REASON = { type: "string", maxLength: 1000 } as const;
const REVISION = { type: "integer", description: "The revision read; a newer one answers 409." } as const;

export const GET_ROLLOUT = {
  tags: TAGS,
  summary: "A subject's rollout: stable, candidate, percent, stage, guard settings and figures",
  params: SUBJECT_PARAMS,
  response: { 200: ROLLOUT_VIEW, ...ERROR_RESPONSES },
} as const;

export const PUT_ROLLOUT = {
  tags: TAGS,
  summary: "Start or change a rollout (candidate, percent, stage, guard settings)",
  description:
    "The candidate must be an ENABLED version compatible with stable under the subject's level; percent 0–100 " +
    "(thousandths allowed). Raising the percent never moves a key back to stable.",
  params: SUBJECT_PARAMS,
  body: {
    type: "object",
    additionalProperties: false,
    properties: {
      candidate: { type: "integer", minimum: 1 },
      percent: { type: "number" },
      stage: { type: "string", enum: ["shadow", "ramping"] },
      stable: { type: "integer", minimum: 1 },
      guard: { ...GUARD, additionalProperties: false },
      reason: REASON,
      revision: REVISION,
    },
  },
  response: { 200: ROLLOUT_VIEW, ...ERROR_RESPONSES },
} as const;

const CHANGE_BODY = {
  type: "object",
  additionalProperties: false,
  properties: { reason: REASON, revision: REVISION },
} as const;

export const PROMOTE_ROLLOUT = {
  tags: TAGS,
  summary: "Promote the candidate: it becomes stable for every caller",
  params: SUBJECT_PARAMS,
  body: CHANGE_BODY,
  response: { 200: ROLLOUT_VIEW, ...ERROR_RESPONSES },
} as const;

export const ROLLBACK_ROLLOUT = {
  tags: TAGS,
  summary: "Roll back: every caller gets stable again (no arguments needed; never refused)",
  params: SUBJECT_PARAMS,
  body: { type: "object", additionalProperties: false, properties: { reason: REASON } },
  response: { 200: ROLLOUT_VIEW, ...ERROR_RESPONSES },
} as const;

export const PAUSE_ROLLOUT = {
  tags: TAGS,
  summary: "Pause: no caller gets the candidate, which is kept (resume with PUT and a percent)",
  params: SUBJECT_PARAMS,
  body: CHANGE_BODY,
  response: { 200: ROLLOUT_VIEW, ...ERROR_RESPONSES },
} as const;

export const GET_ROLLOUT_HISTORY = {
  tags: TAGS,
  summary: "Audit events of a subject's rollout, newest first",
  params: SUBJECT_PARAMS,
  querystring: {
    type: "object",
    properties: {
      limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
      before: { type: "integer", minimum: 1, description: "Only events with a smaller id (paging)." },
    },
  },
  response: { 200: { type: "array", items: EVENT }, ...ERROR_RESPONSES },
} as const;
