import type { FigureSeries } from "../app/figure-series.js";
import type { RolloutGuard } from "../app/guard.js";
import type { AcceptedSample } from "../app/ports.js";
import type { QuarantineService } from "../app/quarantine.js";
import type { RegistryService } from "../app/registry-types.js";
import type { RolloutService } from "../app/rollout-types.js";
import type { SubjectSummaries } from "../app/subject-summary.js";
import type { ValidationService } from "../app/validation.js";
import type { HttpToken } from "../http/auth.js";
import type { MetricsRegistry } from "../http/metrics.js";
import type { Renderer } from "./render.js";

/** The app services the console uses (the same ones the REST routes use). */
export interface ConsoleDeps {
  registry: RegistryService;
  validation?: ValidationService | undefined;
  quarantine?: QuarantineService | undefined;
  rollout?:
    | { service: RolloutService; guard?: RolloutGuard | undefined; series?: FigureSeries | undefined }
    | undefined;
  metrics?: MetricsRegistry | undefined;
  acceptedSamples?: AcceptedSampleReader | undefined;
  tokens: readonly HttpToken[];
}

/** Where the check view's evidence reads a subject's recent accepted outputs. */
export interface AcceptedSampleReader {
  list(subject: string, limit: number): Promise<AcceptedSample[]>;
}

/** What every page plugin is registered with. */
export interface ConsoleContext extends ConsoleDeps {
  renderer: Renderer;
  summaries: SubjectSummaries;
}
