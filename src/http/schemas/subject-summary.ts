/** Route schema of GET /summary/subjects (extension): one overview row per subject. */
import { SUMMARY_SORTS } from "../../app/subject-summary.js";
import { ERROR_RESPONSES } from "./common.js";

const ROW = {
  type: "object",
  required: [
    "subject",
    "deleted",
    "latest",
    "compatibilityLevel",
    "rollout",
    "openBadCases",
    "validations",
    "failureRatePercent",
  ],
  properties: {
    subject: { type: "string" },
    deleted: { type: "boolean", description: "True for a soft-deleted subject (listed with deleted=true)." },
    latest: {
      type: "object",
      nullable: true,
      description: "The latest live version; null when every version is deleted or disabled.",
      required: ["version", "id", "state", "createdAt"],
      properties: {
        version: { type: "integer" },
        id: { type: "integer" },
        state: { type: "string" },
        createdAt: { type: "string" },
      },
    },
    compatibilityLevel: { type: "string" },
    rollout: {
      type: "object",
      nullable: true,
      description: "The subject's rollout; null when none was ever configured.",
      required: ["stage", "stable", "candidate", "percent"],
      properties: {
        stage: { type: "string" },
        stable: { type: "integer" },
        candidate: { type: "integer", nullable: true },
        percent: { type: "number" },
      },
    },
    openBadCases: { type: "integer", description: "Open quarantined samples." },
    validations: {
      type: "integer",
      description: "validate-and-parse calls since recentSince (this process).",
    },
    failureRatePercent: {
      type: "number",
      nullable: true,
      description: "Share of those validations that failed, percent; null without validations.",
    },
  },
} as const;

/** GET /summary/subjects */
export const LIST_SUBJECT_SUMMARIES = {
  tags: ["subjects"],
  summary:
    "One overview row per subject (latest version, level, rollout, bad cases, last hour's validations)",
  description:
    "What the console's subjects list shows. `q` matches a subject name (substring), a schema id, or a " +
    "property name inside the latest schema. Validation figures come from this process's counters over " +
    "about the last hour (`recentSince`).",
  querystring: {
    type: "object",
    additionalProperties: false,
    properties: {
      q: { type: "string", maxLength: 255 },
      sort: { type: "string", enum: SUMMARY_SORTS },
      order: { type: "string", enum: ["asc", "desc"] },
      deleted: { type: "boolean", description: "Include soft-deleted subjects." },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["subjects", "recentSince"],
      properties: { subjects: { type: "array", items: ROW }, recentSince: { type: "string" } },
    },
    ...ERROR_RESPONSES,
  },
} as const;
