import { type Env, int } from "./env-values.js";

/** Settings of what the console keeps: the registry's event log and the sample of accepted outputs. */
export interface ConsoleConfig {
  /** Registry events kept per subject (oldest dropped first). */
  eventsMaxPerSubject: number;
  /** Registry events older than this are dropped, days (0: no age limit). */
  eventsMaxAgeDays: number;
  /** Recent accepted outputs kept per subject for the check view's evidence (0: none are kept). */
  acceptedSamples: number;
  /** Accepted outputs longer than this (UTF-8 bytes) are not kept. */
  acceptedSampleMaxBytes: number;
}

/** The console's environment variables (rendered in README's configuration table). */
export const CONSOLE_CONFIG_VARIABLES = [
  {
    name: "STRUCTREG_EVENTS_MAX_PER_SUBJECT",
    default: "1000",
    description: "Registry events (registrations, state changes, deletes, config changes) kept per subject.",
  },
  {
    name: "STRUCTREG_EVENTS_MAX_AGE_DAYS",
    default: "365",
    description:
      "Registry events older than this are dropped (0 = kept until the per-subject count drops them).",
  },
  {
    name: "STRUCTREG_ACCEPTED_SAMPLES",
    default: "50",
    description:
      "Recent accepted model outputs kept per subject as evidence for the check view (they are model outputs: 0 keeps none).",
  },
  {
    name: "STRUCTREG_ACCEPTED_SAMPLE_MAX_BYTES",
    default: "16384",
    description: "Accepted outputs longer than this (bytes) are not kept as evidence.",
  },
] as const;

/** Reads and validates the console variables; throws SR_CONFIG_INVALID naming the variable at fault. */
export function readConsoleConfig(env: Env): ConsoleConfig {
  return {
    eventsMaxPerSubject: int(env, "STRUCTREG_EVENTS_MAX_PER_SUBJECT", 1000, 1, 1_000_000),
    eventsMaxAgeDays: int(env, "STRUCTREG_EVENTS_MAX_AGE_DAYS", 365, 0, 36_500),
    acceptedSamples: int(env, "STRUCTREG_ACCEPTED_SAMPLES", 50, 0, 1000),
    acceptedSampleMaxBytes: int(env, "STRUCTREG_ACCEPTED_SAMPLE_MAX_BYTES", 16 * 1024, 64, 1024 * 1024),
  };
}
