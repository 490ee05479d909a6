import { StructregError } from "../core/errors.js";
import { flagKeyFor } from "../core/rollout/flag.js";
import { DEFAULT_GUARD, type GuardFigures, type RolloutState } from "../core/rollout/model.js";
import {
  type ChangeContext,
  checkPercent,
  planPause,
  planPromote,
  planRollback,
  planSet,
  type RolloutChange,
} from "../core/rollout/transitions.js";
import type { RegistryService, VersionView } from "./registry-types.js";
import { createRemoteChanges, type RemoteChangeDeps } from "./rollout-remote.js";
import type {
  FlagSource,
  RolloutChangeFeed,
  RolloutDecision,
  RolloutService,
  RolloutStore,
  RolloutView,
} from "./rollout-types.js";
import type { SourceVersion } from "./validation-types.js";

/** What the rollout service is built from. */
export interface RolloutDeps {
  store: RolloutStore;
  registry: RegistryService;
  flags: FlagSource;
  /** Changes made by other processes (LISTEN/NOTIFY, polling); optional in a single process. */
  feed?: RolloutChangeFeed;
  /** Flag key prefix (default "structreg."). */
  keyPrefix?: string;
  now?: () => Date;
  /** Timings of LaunchDarkly-mode changes (tests shorten them). */
  remote?: Pick<RemoteChangeDeps, "leaseMs" | "waitMs" | "retryMs">;
  /** Called after every committed change (metrics, logs); never throws into the caller. */
  onChange?: (change: RolloutChange) => void;
}

/** A cached state with its two decisions, built once per state so the hot path allocates nothing. */
interface Cached {
  state: RolloutState;
  asCandidate: RolloutDecision;
  /** The subject's SDK memo (`flags.memo`): the hot path's one lookup per key. */
  memo: ReadonlyMap<string, number>;
  /** The live list last decided over (the validation service hands the same array until versions change)… */
  live: readonly SourceVersion[] | undefined;
  /** …and whether the candidate and stable were servable in it. */
  candidateServable: boolean;
  stableServable: boolean;
  asStable: RolloutDecision;
}

/** Default flag key prefix: the flag of subject `invoice` is `structreg.invoice`. */
export const DEFAULT_FLAG_KEY_PREFIX = "structreg.";

const DEFAULT_HISTORY_LIMIT = 100;

/** Creates the rollout use cases over a store, the registry and a flag source. */
export function createRolloutService(deps: RolloutDeps): RolloutService {
  const { store, registry, flags } = deps;
  const prefix = deps.keyPrefix ?? DEFAULT_FLAG_KEY_PREFIX;
  const now = deps.now ?? (() => new Date());
  // The hot path reads states from here, never from the store.
  const cache = new Map<string, Cached>();
  let started: Promise<void> | undefined;
  const remote =
    flags.mode === "launchdarkly" ? createRemoteChanges({ store, flags, ...deps.remote }) : undefined;

  function view(subject: string, state: RolloutState | undefined, stable: number): RolloutView {
    const base: RolloutState = state ?? {
      subject,
      stable,
      candidate: null,
      percent: 0,
      stage: "idle",
      guard: { ...DEFAULT_GUARD },
      revision: 0,
      updatedAt: new Date(0).toISOString(),
      updatedBy: "system",
    };
    return {
      ...base,
      flagKey: flagKeyFor(prefix, subject),
      configured: state !== undefined,
      mode: flags.mode,
    };
  }

  /** Keeps the newest state per subject; in embedded mode the SDK serves whatever lands here. */
  async function adopt(state: RolloutState): Promise<void> {
    const cached = cache.get(state.subject);
    if (cached !== undefined && cached.state.revision >= state.revision) return;
    cache.set(state.subject, {
      state,
      asCandidate: { version: state.candidate ?? 0, resolution: "rollout:candidate" },
      asStable: { version: state.stable, resolution: "rollout:stable" },
      memo: flags.memo(state.subject),
      live: undefined,
      candidateServable: false,
      stableServable: false,
    });
    if (flags.mode === "embedded") await flags.publish(state);
  }

  async function refresh(subject: string): Promise<void> {
    const state = await store.get(subject);
    if (state !== undefined) await adopt(state);
  }

  async function change(
    subject: string,
    who: string,
    plan: (current: RolloutState | undefined, ctx: ChangeContext) => RolloutChange,
    defaultStable: () => Promise<number>,
  ): Promise<RolloutView> {
    const stable = await defaultStable();
    const ctx: ChangeContext = { who, at: now().toISOString(), defaultStable: stable };
    const planned = (current: RolloutState | undefined) => plan(current, ctx);
    // LaunchDarkly mode: no transaction stays open across the REST call (see createRemoteChanges).
    const committed =
      remote === undefined ? await store.update(subject, planned) : await remote.apply(subject, planned);
    await adopt(committed.state);
    try {
      deps.onChange?.(committed);
    } catch {
      // metrics and logs must never turn a committed change into an error
    }
    return view(subject, committed.state, stable);
  }

  async function latestEnabled(subject: string): Promise<number> {
    return (await registry.getVersion(subject, "latest")).version;
  }

  const service: RolloutService = {
    async get(subject) {
      const stable = await latestEnabled(subject);
      return view(subject, await store.get(subject), stable);
    },

    async set(subject, input, who) {
      if (input.percent !== undefined) checkPercent(input.percent);
      const versions = await liveVersions(registry, subject);
      const current = await store.get(subject);
      const candidate = input.candidate ?? current?.candidate ?? undefined;
      if (candidate !== undefined) requireEnabled(versions, candidate, "candidate");
      if (input.stable !== undefined) requireServable(versions, input.stable);
      const stable = input.stable ?? current?.stable ?? defaultStableFor(versions, candidate);
      if (candidate !== undefined && candidate !== stable) {
        await requireCompatible(registry, subject, versions, candidate, stable);
      }
      return change(
        subject,
        who,
        (cur, ctx) => planSet(cur, subject, input, ctx),
        async () => stable,
      );
    },

    promote(subject, who, options = {}) {
      return change(
        subject,
        who,
        (cur, ctx) => planPromote(cur, subject, options, ctx),
        () => latestEnabled(subject),
      );
    },

    rollback(subject, who, options = {}) {
      return change(
        subject,
        who,
        (cur, ctx) => planRollback(cur, subject, options, ctx),
        () => latestEnabled(subject),
      );
    },

    pause(subject, who, options = {}) {
      return change(
        subject,
        who,
        (cur, ctx) => planPause(cur, subject, options, ctx),
        () => latestEnabled(subject),
      );
    },

    autoRollback(subject, figures: GuardFigures, reason) {
      return change(
        subject,
        "system",
        (cur, ctx) => planRollback(cur, subject, { reason, figures }, ctx),
        () => latestEnabled(subject),
      );
    },

    async history(subject, options = {}) {
      await latestEnabled(subject);
      const limit = Math.min(1000, Math.max(1, options.limit ?? DEFAULT_HISTORY_LIMIT));
      return store.history(subject, {
        limit,
        ...(options.before === undefined ? {} : { before: options.before }),
      });
    },

    decide(subject, key, live) {
      const cached = cache.get(subject);
      if (cached !== undefined) {
        // PERFORMANCE: the common case (a remembered SDK answer naming a live candidate or stable) allocates
        // nothing and never awaits; everything else takes the general path.
        const known = cached.memo.get(key);
        if (cached.live !== live) {
          cached.live = live;
          cached.candidateServable = isServable(live, cached.asCandidate.version);
          cached.stableServable = isServable(live, cached.state.stable);
        }
        if (known === cached.state.candidate && cached.candidateServable) return cached.asCandidate;
        if (known === cached.state.stable && cached.stableServable) return cached.asStable;
      }
      return decide(flags, cached?.state, subject, key, live);
    },

    current: (subject) => cache.get(subject)?.state,
    states: () => [...cache.values()].map((c) => c.state),

    start() {
      // Idempotent: compose starts it, and a caller may await it again.
      started ??= (async () => {
        await flags.whenReady();
        await remote?.reconcile().catch(() => undefined); // settled again by the next start
        for (const state of await store.list()) await adopt(state);
        deps.feed?.subscribe((subject) => {
          refresh(subject).catch(() => undefined); // the polling fallback catches up with a failed refresh
        });
      })();
      return started;
    },

    async close() {
      remote?.close();
      await deps.feed?.close();
      await flags.close();
    },
  };
  return service;
}

/**
 * The decision on the hot path. Embedded mode asks the SDK only for subjects with a rollout (others have no
 * flag); LaunchDarkly mode always asks it, so flags edited in LaunchDarkly take effect. Whatever the SDK
 * answers, the result is a live version: the candidate, else stable, else the latest.
 */
function decide(
  flags: FlagSource,
  state: RolloutState | undefined,
  subject: string,
  key: string,
  live: readonly SourceVersion[],
): RolloutDecision | Promise<RolloutDecision> {
  const latest = latestServable(live);
  if (state === undefined && flags.mode === "embedded") return { version: latest, resolution: "latest" };
  const fallback = state !== undefined && isServable(live, state.stable) ? state.stable : latest;
  // PERFORMANCE: a remembered SDK answer is used synchronously; only a new key waits for the SDK.
  const known = flags.memo(subject).get(key);
  if (known !== undefined) return resolveServed(state, live, latest, fallback, known);
  return flags
    .variation(subject, key, fallback, state !== undefined)
    .then((served) => resolveServed(state, live, latest, fallback, served));
}

/** Names the served version: the candidate, stable, or (no stored rollout) latest; never a non-live version. */
function resolveServed(
  state: RolloutState | undefined,
  live: readonly SourceVersion[],
  latest: number,
  fallback: number,
  served: number,
): RolloutDecision {
  const version = served !== fallback && isServable(live, served) ? served : fallback;
  if (state !== undefined && version === state.candidate) return { version, resolution: "rollout:candidate" };
  if (state !== undefined && version === state.stable) return { version, resolution: "rollout:stable" };
  // LaunchDarkly mode without a stored rollout: a flag holding callers on an older version is their stable.
  return { version, resolution: version === latest ? "latest" : "rollout:stable" };
}

function isServable(live: readonly SourceVersion[], version: number): boolean {
  for (const v of live) if (v.version === version) return v.state !== "DISABLED";
  return false;
}

function latestServable(live: readonly SourceVersion[]): number {
  for (let i = live.length - 1; i >= 0; i--) {
    const v = live[i] as SourceVersion;
    if (v.state !== "DISABLED") return v.version;
  }
  return live.at(-1)?.version ?? 0;
}

async function liveVersions(registry: RegistryService, subject: string): Promise<VersionView[]> {
  const numbers = await registry.listVersions(subject);
  return Promise.all(numbers.map((n) => registry.getVersion(subject, n)));
}

function requireEnabled(versions: VersionView[], version: number, role: string): void {
  const found = versions.find((v) => v.version === version);
  if (found === undefined || found.state !== "ENABLED") {
    const enabled = versions.filter((v) => v.state === "ENABLED").map((v) => v.version);
    throw new StructregError(
      "SR_ROLLOUT_INVALID",
      found === undefined
        ? `Version ${version} is not a version of ${versions[0]?.subject ?? "the subject"}`
        : `Version ${version} is ${found.state}, not ENABLED`,
      { details: { [role]: version, enabled }, hint: `pick an ENABLED version: ${enabled.join(", ")}` },
    );
  }
}

function requireServable(versions: VersionView[], version: number): void {
  const found = versions.find((v) => v.version === version);
  if (found === undefined || found.state === "DISABLED") {
    throw new StructregError("SR_ROLLOUT_INVALID", `Version ${version} cannot be the stable version`, {
      details: { stable: version },
      hint: "stable must be an ENABLED or DEPRECATED version of the subject",
    });
  }
}

/** Default stable: the latest ENABLED version below the candidate, else the latest ENABLED one. */
function defaultStableFor(versions: VersionView[], candidate: number | undefined): number {
  const enabled = versions.filter((v) => v.state === "ENABLED" && v.version !== candidate);
  const below = enabled.filter((v) => candidate === undefined || v.version < candidate);
  const pick = below.at(-1) ?? enabled.at(-1);
  if (pick === undefined) {
    throw new StructregError(
      "SR_ROLLOUT_INVALID",
      "The subject has no other ENABLED version to keep as stable",
      {
        details: { candidate },
        hint: "register or enable the version callers should keep getting",
      },
    );
  }
  return pick.version;
}

async function requireCompatible(
  registry: RegistryService,
  subject: string,
  versions: VersionView[],
  candidate: number,
  stable: number,
): Promise<void> {
  const view = versions.find((v) => v.version === candidate) as VersionView;
  // With its references, the candidate is judged in its bundled form, as registration judged it.
  const references = view.references ?? [];
  const verdict = await registry.checkCompatibility(subject, view.schema, stable, { references });
  if (!verdict.isCompatible) {
    throw new StructregError(
      "SR_ROLLOUT_INCOMPATIBLE",
      `Candidate ${candidate} is incompatible with stable ${stable} under the subject's level`,
      {
        details: { candidate, stable, messages: verdict.messages, differences: verdict.differences },
        hint: "fix the candidate, or change the subject's level if the break is intended",
      },
    );
  }
}
