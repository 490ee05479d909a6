import { Counter, type Registry } from "prom-client";
import { type AcceptedSampler, createAcceptedSampler } from "./accepted-samples.js";
import type { AcceptedSampleStore } from "./ports.js";

/** How many accepted outputs are kept per subject, and how long one may be (STRUCTREG_ACCEPTED_SAMPLES…). */
export interface AcceptedSampleSettings {
  acceptedSamples: number;
  acceptedSampleMaxBytes: number;
}

/** Defaults: 50 samples per subject of up to 16 KiB. */
export const DEFAULT_ACCEPTED_SAMPLE_SETTINGS: AcceptedSampleSettings = {
  acceptedSamples: 50,
  acceptedSampleMaxBytes: 16 * 1024,
};

/** The sampler with its metrics; undefined when switched off (0 samples): validate then carries no hook at all. */
export function createAcceptedSamples(
  settings: AcceptedSampleSettings,
  store: AcceptedSampleStore,
  registry: Registry,
): AcceptedSampler | undefined {
  if (settings.acceptedSamples === 0) return undefined;
  const recorded = new Counter({
    name: "structreg_accepted_samples_recorded_total",
    help: "Accepted outputs kept as evidence for draft schemas.",
    registers: [registry],
  });
  const dropped = new Counter({
    name: "structreg_accepted_samples_dropped_total",
    help: "Accepted outputs not kept as evidence, by reason (queue_full, too_large, not_text, unstorable, write_failed).",
    labelNames: ["reason"],
    registers: [registry],
  });
  return createAcceptedSampler({
    store,
    maxPerSubject: settings.acceptedSamples,
    maxBytes: settings.acceptedSampleMaxBytes,
    onRecorded: (count) => recorded.inc(count),
    onDrop: (reason, count) => dropped.inc({ reason }, count),
  });
}
