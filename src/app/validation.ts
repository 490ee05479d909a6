/**
 * validate-and-parse as a service: resolve the target version of a subject, run its parser (strict, then
 * tolerant track), fall back to other enabled versions (upgrading the value when the target is backward
 * compatible with the one that matched), and quarantine what no version accepts before answering.
 * Everything about the output is a value; only an unknown subject or version throws.
 */
import { compareSchemas } from "../core/compat/compare.js";
import { isStructregError, StructregError } from "../core/errors.js";
import type { ParseFailure, ParseResult } from "../core/parse/outcomes.js";
import { createParser, type Parser, type ParserOptions } from "../core/parse/pipeline.js";
import type { QuarantineStore } from "./ports.js";
import { boundIssues } from "./validation/bounded.js";
import { LruCache } from "./validation/lru.js";
import { rawSampleOf } from "./validation/raw-sample.js";
import { upgradeValue } from "./validation/upgrade.js";
import type {
  QuarantineRetention,
  Resolution,
  SourceVersion,
  ValidationFailure,
  ValidationOutcome,
  ValidationSuccess,
  VersionSource,
} from "./validation-types.js";

/** The rollout decision (issue 4): which live version `key` gets, and why. */
export interface TargetDecision {
  version: number;
  resolution: Resolution;
}

/**
 * Picks the target version among the subject's live (ENABLED or DEPRECATED) versions, oldest first. The
 * list is never edited in place (a changed version list is a new array), so an implementation may cache
 * what it learned about one by identity.
 */
export type ResolveTarget = (
  subject: string,
  key: string,
  live: SourceVersion[],
) => Promise<TargetDecision> | TargetDecision;

/** Where and how bad cases are kept. */
export interface ValidationQuarantine {
  store: QuarantineStore;
  retention: QuarantineRetention;
  /** Raw text kept per sample, in UTF-8 bytes (the full size and sha256 are always kept). */
  maxRawBytes: number;
}

/** What the validation service is built from. */
export interface ValidationDeps {
  versions: VersionSource;
  /** Without one, failures are answered but not kept (no `quarantineId`). */
  quarantine?: ValidationQuarantine;
  now: () => Date;
  /** A per-request context key when the caller gives none (e.g. `crypto.randomUUID`). */
  randomKey: () => string;
  /** Default: the latest live version, resolution "latest". */
  resolveTarget?: ResolveTarget;
  /** Other ENABLED versions tried when the target rejects an output. Default 5. */
  maxFallbackVersions?: number;
  parserOptions?: ParserOptions;
  /** Compiled parsers kept (least recently used dropped first). Default 10,000. */
  parserCacheSize?: number;
  /** Called with every outcome (metrics); exceptions are swallowed. */
  onOutcome?: (outcome: ValidationOutcome) => void;
}

/** Per-call options of `validate`. */
export interface ValidateOptions {
  /** Pin a version (any undeleted one, also DISABLED); resolution is then "pinned". */
  version?: number;
  /** Context key (rollout bucketing); a random one is used and reported when absent. */
  key?: string;
  /** Try other enabled versions when the target rejects the output. Default true. */
  fallback?: boolean;
  /** Re-run without side effects: nothing is quarantined and `onOutcome` is not called (replay). */
  dryRun?: boolean;
}

/** validate-and-parse over a subject's versions. */
export interface ValidationService {
  /** Validates and parses one output; throws only SR_SUBJECT_NOT_FOUND / SR_VERSION_NOT_FOUND (or store failures). */
  validate(subject: string, output: unknown, options?: ValidateOptions): Promise<ValidationOutcome>;
  /**
   * `validate`, answering the outcome itself when nothing needs waiting: the versions are cached, the rollout
   * decision is synchronous and the target accepts the output (strict or tolerant). Otherwise the promise
   * `validate` would answer. Same steps, outcome and side effects either way; errors always reject.
   */
  validateNow(
    subject: string,
    output: unknown,
    options?: ValidateOptions,
  ): ValidationOutcome | Promise<ValidationOutcome>;
  /** The compiled parser of one version, from the service's own cache (compiled on first use). */
  parser(version: SourceVersion): Parser;
}

export const DEFAULT_MAX_FALLBACK_VERSIONS = 5;
export const DEFAULT_PARSER_CACHE_SIZE = 10_000;
const VERDICT_CACHE_SIZE = 10_000;
const NO_OPTIONS: ValidateOptions = {};

type ParseSuccess = Extract<ParseResult, { ok: true }>;

/** Issues that no other version could answer differently: the text itself is broken. */
const TEXT_LEVEL_ISSUES = new Set(["invalid_json", "invalid_unicode", "too_many_repairs"]);

/** Creates the validation service. */
export function createValidationService(deps: ValidationDeps): ValidationService {
  return new Validation(deps);
}

class Validation implements ValidationService {
  private readonly parsers: LruCache<string, Parser>;
  /** Backward compatibility of target with matched, by `matched>target` fingerprint pair. */
  private readonly verdicts = new LruCache<string, boolean>(VERDICT_CACHE_SIZE);
  private readonly live = new WeakMap<SourceVersion[], SourceVersion[]>();
  private readonly maxFallback: number;

  constructor(private readonly deps: ValidationDeps) {
    this.parsers = new LruCache(deps.parserCacheSize ?? DEFAULT_PARSER_CACHE_SIZE);
    this.maxFallback = deps.maxFallbackVersions ?? DEFAULT_MAX_FALLBACK_VERSIONS;
  }

  async validate(
    subject: string,
    output: unknown,
    options: ValidateOptions = NO_OPTIONS,
  ): Promise<ValidationOutcome> {
    return this.withVersions(subject, output, options, await this.deps.versions.versions(subject));
  }

  // PERFORMANCE: validate()'s own promise and the awaits inside it cost a microtask each (~0.5 µs a line in
  // validate-batch, a visible share of an HTTP answer). When the versions are cached and the rollout decision
  // is synchronous, the same steps run to the outcome without one; anything that must wait (a version list
  // to fetch, an SDK evaluation, the quarantine write) continues as a promise from where it is. The steps,
  // their order and their side effects are validate()'s own: this is not a second implementation.
  validateNow(
    subject: string,
    output: unknown,
    options: ValidateOptions = NO_OPTIONS,
  ): ValidationOutcome | Promise<ValidationOutcome> {
    const versions = this.deps.versions.cached?.(subject);
    if (versions === undefined) return this.validate(subject, output, options);
    try {
      return this.withVersions(subject, output, options, versions);
    } catch (err) {
      // Errors are always a rejected promise, never a synchronous throw.
      return Promise.reject(err);
    }
  }

  private withVersions(
    subject: string,
    output: unknown,
    options: ValidateOptions,
    versions: SourceVersion[],
  ): ValidationOutcome | Promise<ValidationOutcome> {
    if (versions.length === 0) throw subjectNotFound(subject);
    const keyGenerated = options.key === undefined;
    const key = options.key ?? this.deps.randomKey();
    if (options.version !== undefined) {
      const target = findVersion(subject, versions, options.version);
      return this.onTarget(subject, output, versions, key, keyGenerated, options, target, "pinned");
    }
    if (this.deps.resolveTarget === undefined) {
      const target = latestLive(subject, versions);
      return this.onTarget(subject, output, versions, key, keyGenerated, options, target, "latest");
    }
    const decision = this.deps.resolveTarget(subject, key, this.liveOf(versions));
    if (isPromise(decision)) {
      return decision.then((d) => {
        const target = findVersion(subject, versions, d.version);
        return this.onTarget(subject, output, versions, key, keyGenerated, options, target, d.resolution);
      });
    }
    const target = findVersion(subject, versions, decision.version);
    return this.onTarget(subject, output, versions, key, keyGenerated, options, target, decision.resolution);
  }

  // PERFORMANCE: positional arguments; the Attempt object is built only when the target rejects the output.
  private onTarget(
    subject: string,
    output: unknown,
    versions: SourceVersion[],
    key: string,
    keyGenerated: boolean,
    options: ValidateOptions,
    target: SourceVersion,
    resolution: Resolution,
  ): ValidationOutcome | Promise<ValidationOutcome> {
    const result = this.parserFor(target).parse(output);
    if (result.ok) return this.accepted(subject, target, resolution, result, key, keyGenerated, options);
    const attempt: Attempt = { subject, output, versions, target, resolution, key, keyGenerated, options };
    return this.afterFailure(attempt, result);
  }

  /** The target's own success (strict or tolerant), observed. */
  private accepted(
    subject: string,
    target: SourceVersion,
    resolution: Resolution,
    result: ParseSuccess,
    key: string,
    keyGenerated: boolean,
    options: ValidateOptions,
  ): ValidationSuccess {
    const outcome: ValidationSuccess = {
      ok: true,
      subject,
      version: target.version,
      targetVersion: target.version,
      resolution,
      track: result.track,
      data: result.data,
      repairs: result.repairs,
      key,
      keyGenerated,
    };
    this.observe(outcome, options);
    return outcome;
  }

  private async afterFailure(attempt: Attempt, result: ParseFailure): Promise<ValidationOutcome> {
    const fallback =
      attempt.options.fallback !== false && mayFallBack(result) ? this.fallback(attempt) : undefined;
    if (fallback !== undefined) {
      this.observe(fallback, attempt.options);
      return fallback;
    }
    const outcome: ValidationFailure = {
      ok: false,
      subject: attempt.subject,
      version: attempt.target.version,
      targetVersion: attempt.target.version,
      resolution: attempt.resolution,
      reason: result.reason,
      issues: boundIssues(result.issues),
      repairs: result.repairs,
      key: attempt.key,
      keyGenerated: attempt.keyGenerated,
    };
    const quarantine = this.deps.quarantine;
    if (quarantine !== undefined && attempt.options.dryRun !== true) {
      // Durable before the answer: the caller may act on the id at once.
      outcome.quarantineId = await this.quarantine(quarantine, attempt, outcome);
    }
    this.observe(outcome, attempt.options);
    return outcome;
  }

  private async quarantine(
    quarantine: ValidationQuarantine,
    attempt: Attempt,
    outcome: ValidationFailure,
  ): Promise<number> {
    const sample = rawSampleOf(attempt.output, quarantine.maxRawBytes);
    const entry = {
      subject: outcome.subject,
      version: outcome.version,
      reason: outcome.reason,
      issues: outcome.issues,
      repairs: outcome.repairs,
      ...sample,
      // A generated key identifies nothing: keep only the caller's.
      key: attempt.keyGenerated ? null : attempt.key,
    };
    const record = await quarantine.store.add(entry, quarantine.retention, this.deps.now());
    return record.id;
  }

  /** Other ENABLED versions, newest first and bounded; the first that accepts the output wins. */
  private fallback(attempt: Attempt): ValidationSuccess | undefined {
    const { versions, target } = attempt;
    let tried = 0;
    for (let i = versions.length - 1; i >= 0 && tried < this.maxFallback; i--) {
      const candidate = versions[i] as SourceVersion;
      if (candidate.version === target.version || candidate.state !== "ENABLED") continue;
      tried++;
      const parser = this.tryParserFor(candidate);
      const result = parser?.parse(attempt.output);
      if (result?.ok === true) return this.matched(attempt, candidate, result.data, result.repairs);
    }
    return undefined;
  }

  private matched(
    attempt: Attempt,
    matched: SourceVersion,
    data: unknown,
    repairs: ValidationSuccess["repairs"],
  ): ValidationSuccess {
    const upgraded = this.upgrade(matched, attempt.target, data);
    return {
      ok: true,
      subject: attempt.subject,
      version: upgraded === undefined ? matched.version : attempt.target.version,
      targetVersion: attempt.target.version,
      resolution: attempt.resolution,
      track: "fallback",
      data: upgraded === undefined ? data : upgraded.value,
      repairs,
      matchedVersion: matched.version,
      upgraded: upgraded !== undefined,
      key: attempt.key,
      keyGenerated: attempt.keyGenerated,
    };
  }

  /** The value in the target's shape, when the target reads the matched version's data and accepts it as is. */
  private upgrade(
    matched: SourceVersion,
    target: SourceVersion,
    data: unknown,
  ): { value: unknown } | undefined {
    if (!this.backwardCompatible(matched, target)) return undefined;
    const value = upgradeValue(data, target.schema);
    // As a value (never re-read as a Responses object), and only a clean strict pass counts.
    const check = this.parserFor(target).parseModelOutput({ kind: "value", value });
    return check.ok && check.track === "strict" ? { value: check.data } : undefined;
  }

  private backwardCompatible(matched: SourceVersion, target: SourceVersion): boolean {
    const pair = `${matched.fingerprint}>${target.fingerprint}`;
    let verdict = this.verdicts.get(pair);
    if (verdict === undefined) {
      try {
        // STRICT: the subject's own policy is not known here, and an upgrade must be safe.
        const maxWork = this.deps.parserOptions?.maxSchemaWork;
        verdict = compareSchemas(
          matched.schema,
          target.schema,
          maxWork === undefined ? {} : { maxWork },
        ).backward;
      } catch (err) {
        if (!isStructregError(err)) throw err;
        verdict = false;
      }
      this.verdicts.set(pair, verdict);
    }
    return verdict;
  }

  parser(version: SourceVersion): Parser {
    return this.parserFor(version);
  }

  private parserFor(version: SourceVersion): Parser {
    let parser = this.parsers.get(version.fingerprint);
    if (parser === undefined) {
      parser = createParser(version.schema, this.deps.parserOptions);
      this.parsers.set(version.fingerprint, parser);
    }
    return parser;
  }

  /** A fallback candidate that does not compile (should not happen: registration compiles) is skipped. */
  private tryParserFor(version: SourceVersion): Parser | undefined {
    try {
      return this.parserFor(version);
    } catch (err) {
      if (isStructregError(err)) return undefined;
      throw err;
    }
  }

  private liveOf(versions: SourceVersion[]): SourceVersion[] {
    let live = this.live.get(versions);
    if (live === undefined) {
      live = versions.filter((v) => v.state !== "DISABLED");
      this.live.set(versions, live);
    }
    return live;
  }

  private observe(outcome: ValidationOutcome, options: ValidateOptions): void {
    const onOutcome = this.deps.onOutcome;
    if (onOutcome === undefined || options.dryRun === true) return;
    try {
      onOutcome(outcome);
    } catch {
      // Metrics never break validation.
    }
  }
}

/** One validation in progress, passed to the slow paths. */
interface Attempt {
  subject: string;
  output: unknown;
  versions: SourceVersion[];
  target: SourceVersion;
  resolution: Resolution;
  key: string;
  keyGenerated: boolean;
  options: ValidateOptions;
}

/**
 * Only a schema failure may be another version's success. Refusals, incomplete or failed responses,
 * text with no JSON, broken syntax, oversize and overdeep output fail the same way under every version.
 */
function mayFallBack(result: ParseFailure): boolean {
  if (result.reason !== "invalid") return false;
  return !result.issues.some((issue) => TEXT_LEVEL_ISSUES.has(issue.code));
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === "function";
}

function findVersion(subject: string, versions: SourceVersion[], version: number): SourceVersion {
  for (const v of versions) if (v.version === version) return v;
  throw new StructregError(
    "SR_VERSION_NOT_FOUND",
    `Version ${version} not found under subject '${subject}'.`,
    {
      hint: `list versions with GET /subjects/${subject}/versions`,
    },
  );
}

function latestLive(subject: string, versions: SourceVersion[]): SourceVersion {
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i] as SourceVersion;
    if (v.state !== "DISABLED") return v;
  }
  throw new StructregError("SR_VERSION_NOT_FOUND", `Subject '${subject}' has no enabled version.`, {
    hint: "enable a version with PUT /subjects/{subject}/versions/{version}/state",
  });
}

function subjectNotFound(subject: string): StructregError {
  return new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`, {
    hint: "list subjects with GET /subjects (or `structreg subjects`)",
  });
}
