/** Route schema of GET /subjects/{s}/rollout/series (structreg extension): the rollout chart's history. */
import { ERROR_RESPONSES, SUBJECT_PARAMS } from "./common.js";

const POINT = {
  type: "object",
  required: [
    "at",
    "candidateRatePercent",
    "stableRatePercent",
    "thresholdPercent",
    "candidateTotal",
    "stableTotal",
  ],
  properties: {
    at: { type: "string", format: "date-time" },
    candidateRatePercent: { type: "number" },
    stableRatePercent: { type: "number" },
    thresholdPercent: { type: "number" },
    candidateTotal: { type: "integer" },
    stableTotal: { type: "integer" },
  },
} as const;

export const GET_ROLLOUT_SERIES = {
  tags: ["rollout"],
  summary:
    "The guard's figures of a serving rollout sampled every few seconds (this process only), oldest first",
  description:
    "What the console's rollout chart draws. Sampled every intervalSeconds while a candidate serves traffic " +
    "(shadow or ramping); the last 30 minutes are kept, in memory: each instance has its own, a restart starts empty.",
  params: SUBJECT_PARAMS,
  response: {
    200: {
      type: "object",
      required: ["subject", "intervalSeconds", "points"],
      properties: {
        subject: { type: "string" },
        intervalSeconds: { type: "number" },
        points: { type: "array", items: POINT },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;
