import type { RolloutGuard } from "./guard.js";
import type { RolloutService } from "./rollout-types.js";
import type { ValidateOptions, ValidationService } from "./validation.js";
import type { Resolution, ValidationOutcome } from "./validation-types.js";

/** Runs an output through one pinned version, off the response path, without side effects (no quarantine). */
export type ShadowValidate = (
  subject: string,
  output: unknown,
  version: number,
) => Promise<{ ok: boolean; track?: "strict" | "tolerant" | "fallback" }>;

/** What the shadow runner is built from. */
export interface ShadowRunnerDeps {
  rollout: RolloutService;
  guard: RolloutGuard;
  validate: ShadowValidate;
  /** [0, 1) (injected for tests). Default `Math.random`. */
  random?: () => number;
  /** Shadow runs allowed at once; beyond it outputs are not shadowed (load shedding). Default 64. */
  maxInFlight?: number;
  /** Schedules work after the response (default `setImmediate`). */
  schedule?: (run: () => void) => void;
}

/** Sends a share of outputs served by stable through the candidate too, while a subject is in shadow. */
export interface ShadowRunner {
  /** Called after a caller's outcome is known; never delays or fails the caller. */
  offer(subject: string, output: unknown, resolution: Resolution): void;
  /** Resolves once every shadow run started so far has finished (tests, shutdown). */
  drain(): Promise<void>;
}

/** Creates the shadow runner. */
export function createShadowRunner(deps: ShadowRunnerDeps): ShadowRunner {
  const random = deps.random ?? Math.random;
  const maxInFlight = deps.maxInFlight ?? 64;
  const schedule = deps.schedule ?? ((run) => setImmediate(run));
  const running = new Set<Promise<void>>();

  function run(subject: string, output: unknown, candidate: number): void {
    const task = deps
      .validate(subject, output, candidate)
      .then(
        (outcome) =>
          deps.guard.observeShadow(subject, candidate, !outcome.ok || outcome.track === "fallback"),
        // A shadow run that throws is a failed candidate outcome, not the caller's problem.
        () => deps.guard.observeShadow(subject, candidate, true),
      )
      .finally(() => running.delete(task));
    running.add(task);
  }

  return {
    offer(subject, output, resolution) {
      if (resolution !== "rollout:stable") return;
      const state = deps.rollout.current(subject);
      if (state === undefined || state.stage !== "shadow" || state.candidate === null) return;
      if (running.size >= maxInFlight || random() * 100 >= state.guard.shadowPercent) return;
      const candidate = state.candidate;
      schedule(() => run(subject, output, candidate));
    },
    async drain() {
      await new Promise((resolve) => setImmediate(resolve));
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

/**
 * Wraps validate-and-parse so that, after each caller's outcome, the shadow runner may also run the output
 * through the candidate. Pinned calls (`version` given) and dry runs are never shadowed. Every method of the service is
 * kept: `validateNow` still answers synchronously when the inner service does.
 */
export function withShadow(inner: ValidationService, shadow: ShadowRunner): ValidationService {
  function offered(
    subject: string,
    output: unknown,
    options: ValidateOptions | undefined,
    outcome: ValidationOutcome,
  ): ValidationOutcome {
    // A dry run (replay, a read-only caller) has no effects: it feeds no shadow run, hence no guard.
    if (options?.version === undefined && options?.dryRun !== true)
      shadow.offer(subject, output, outcome.resolution);
    return outcome;
  }
  return {
    async validate(subject, output, options) {
      return offered(subject, output, options, await inner.validate(subject, output, options));
    },
    validateNow(subject, output, options) {
      const answer = inner.validateNow(subject, output, options);
      return answer instanceof Promise
        ? answer.then((outcome) => offered(subject, output, options, outcome))
        : offered(subject, output, options, answer);
    },
    parser: (version) => inner.parser(version),
  };
}
