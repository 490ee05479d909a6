/**
 * Wires the rollout use cases together (service, guard, shadow runner, metrics) over ports the composition
 * root opens, and hands validate-and-parse its two hooks: `resolveTarget` and an outcome observer.
 */
import type { Registry } from "prom-client";
import { createRolloutGuard, type RolloutGuard } from "./guard.js";
import type { RegistryService } from "./registry-types.js";
import { createRolloutService } from "./rollout.js";
import { createRolloutMetrics } from "./rollout-metrics.js";
import { createShadowRunner, type ShadowRunner, withShadow } from "./rollout-shadow.js";
import type { FlagSource, RolloutChangeFeed, RolloutService, RolloutStore } from "./rollout-types.js";
import type { ValidationService } from "./validation.js";
import type { ValidationOutcome } from "./validation-types.js";

/** What the rollout components are built from. */
export interface RolloutComponentsDeps {
  store: RolloutStore;
  registry: RegistryService;
  flags: FlagSource;
  feed?: RolloutChangeFeed;
  keyPrefix: string;
  metricsRegistry: Registry;
  /** A warning for people (automatic rollbacks, failed ones). */
  warn: (message: string, fields: Record<string, unknown>) => void;
}

/** The rollout as the rest of the process uses it. */
export interface RolloutComponents {
  service: RolloutService;
  guard: RolloutGuard;
  shadow: ShadowRunner;
  /** validate-and-parse's `onOutcome` part: counts outcomes for the guard. */
  observe(outcome: ValidationOutcome): void;
  /** Wraps validate-and-parse so outputs of subjects in shadow are also run through the candidate. */
  wrap(validation: ValidationService): ValidationService;
}

/** Builds the rollout components; call `service.start()` before serving traffic. */
export function createRolloutComponents(deps: RolloutComponentsDeps): RolloutComponents {
  const service = createRolloutService({
    store: deps.store,
    registry: deps.registry,
    flags: deps.flags,
    keyPrefix: deps.keyPrefix,
    ...(deps.feed === undefined ? {} : { feed: deps.feed }),
  });
  const metrics = createRolloutMetrics(deps.metricsRegistry, service);
  const guard = createRolloutGuard({
    rollout: service,
    onRecord: metrics.onRecord,
    onTrip(subject, figures, reason) {
      metrics.onTrip(subject);
      deps.warn(`rollout of ${subject} rolled back automatically: ${reason}`, { subject, figures });
    },
    onTripError(subject, error) {
      deps.warn(`automatic rollback of ${subject} failed; retrying on the next outcome`, {
        subject,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  });
  let inner: ValidationService | undefined;
  const shadow = createShadowRunner({
    rollout: service,
    guard,
    validate: (subject, output, version) => {
      if (inner === undefined) return Promise.resolve({ ok: true });
      // dryRun: a shadow run never quarantines nor counts as a caller's outcome.
      return inner.validate(subject, output, { version, dryRun: true, fallback: false });
    },
  });
  return {
    service,
    guard,
    shadow,
    // An outcome is an ObservedOutcome as it is: no copy per validation (most are not rollout traffic).
    observe: (outcome) => guard.observe(outcome),
    wrap(validation) {
      inner = validation;
      return withShadow(validation, shadow);
    },
  };
}
