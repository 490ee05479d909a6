/**
 * The library's validating client: validate-and-parse in the consuming service's own process, against
 * schemas read from a remote registry. Versions are fetched once and compiled once per fingerprint (they
 * are immutable); after that a validation costs what the local pipeline costs, with no HTTP hop per output.
 *
 * Bad cases are not quarantined locally (there is no store here). With `reportBadCases: true` each failure
 * is also posted to the registry's `POST /subjects/{s}/validate`, pinned to the same target version, in
 * the background: the server re-runs the pipeline and quarantines the sample. The caller's answer never
 * waits for that post (so it carries no `quarantineId`), and a failed post is recorded, never thrown;
 * `close()` waits for the posts still in flight.
 */
import { randomUUID } from "node:crypto";
import {
  type ResponseEventStream,
  type ResumeOptions,
  type StreamResponseEvent,
  streamResponse,
} from "../app/stream-response.js";
import { createValidationService } from "../app/validation.js";
import type { SourceVersion, ValidationOutcome } from "../app/validation-types.js";
import { StructregError } from "../core/errors.js";
import type { Parser, ParserOptions } from "../core/parse/pipeline.js";
import { createRegistryClient, type RegistryClient } from "./http-client.js";
import {
  createRemoteVersionSource,
  type RemoteVersionSource,
  type RemoteVersionSourceOptions,
} from "./remote-version-source.js";
import { parseResponse, type TextFormatAnswer, type TextFormatOptions, textFormat } from "./text-format.js";

/** Options of `createValidatingClient`. */
export interface ValidatingClientOptions extends RemoteVersionSourceOptions {
  /** Limits of the local parsers (size, depth, tolerant track on/off). */
  parserOptions?: ParserOptions | undefined;
  /** How many other versions the fallback track tries (the validation service's default when absent). */
  maxFallbackVersions?: number | undefined;
  /** Also post every failure to the registry, in the background, so it lands in the server's quarantine. */
  reportBadCases?: boolean | undefined;
  /** Called with every outcome (for metrics or logs); must not throw. */
  onOutcome?: ((outcome: ValidationOutcome) => void) | undefined;
  /** Key generator for calls without a context key (default `crypto.randomUUID`). */
  randomKey?: (() => string) | undefined;
}

/** Per-call options of `validate`. */
export interface ValidateCallOptions {
  /** Pin the target version (else the subject's latest live version). */
  version?: number | undefined;
  /** Context key (a user or request id); sticky rollout decisions bucket by it. */
  key?: string | undefined;
}

/** A validating client bound to one registry. */
export interface ValidatingClient {
  /** Validate-and-parse one output (text, parsed value or Responses API response) for a subject. */
  validate(subject: string, output: unknown, options?: ValidateCallOptions): Promise<ValidationOutcome>;
  /**
   * `validate`, answering the outcome itself (no promise) when nothing needs waiting: the subject's versions
   * are cached and the target accepts the output. Otherwise the promise `validate` answers. For tight loops
   * such as validate-batch, where a promise per output is a measurable share of the cost.
   */
  validateNow(
    subject: string,
    output: unknown,
    options?: ValidateCallOptions,
  ): ValidationOutcome | Promise<ValidationOutcome>;
  /** The compiled parser of a version (default: latest non-disabled), cached per schema fingerprint. */
  parser(subject: string, version?: number): Promise<Parser>;
  /** The cached remote source (its `lastError` says whether the registry is currently answering). */
  readonly source: RemoteVersionSource;
  /** The error of the most recent failed bad-case report, if any. */
  readonly lastReportError: StructregError | undefined;
  /** Waits for background refreshes and bad-case reports still in flight. */
  close(): Promise<void>;
  /** The strict `json_schema` text format of a version (default latest) to pass to your own OpenAI call. */
  textFormat(subject: string, options?: TextFormatOptions): Promise<TextFormatAnswer>;
  /**
   * Partial values of a Responses API event stream as its output forms, then the outcome `validate`
   * gives for the finished response (see Streaming in the README). `stream` is the openai SDK's
   * `responses.create({stream: true})` or `responses.stream()` result, or any async iterable of its events.
   */
  streamResponse(
    subject: string,
    stream: ResponseEventStream,
    options?: ValidateCallOptions & ResumeOptions,
  ): AsyncGenerator<StreamResponseEvent, void, undefined>;
  /** Validates a Responses API response against the version its format was built from. */
  parseResponse(
    subject: string,
    response: unknown,
    options?: { version?: number | undefined; key?: string | undefined },
  ): Promise<ValidationOutcome>;
}

/** Creates a validating client over a remote registry. */
export function createValidatingClient(options: ValidatingClientOptions): ValidatingClient {
  const source = createRemoteVersionSource(options);
  const http = createRegistryClient({
    url: options.url,
    token: options.token,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
  });
  return new RemoteValidatingClient(source, http, options);
}

class RemoteValidatingClient implements ValidatingClient {
  lastReportError: StructregError | undefined;
  private readonly service: ReturnType<typeof createValidationService>;
  private readonly reports = new Set<Promise<void>>();
  private readonly reporting: boolean;

  constructor(
    readonly source: RemoteVersionSource,
    private readonly http: RegistryClient,
    readonly options: ValidatingClientOptions,
  ) {
    const onOutcome = options.onOutcome;
    const report = options.reportBadCases === true;
    this.reporting = report;
    this.service = createValidationService({
      versions: source,
      now: () => new Date(),
      randomKey: options.randomKey ?? randomUUID,
      ...(options.parserOptions === undefined ? {} : { parserOptions: options.parserOptions }),
      ...(options.maxFallbackVersions === undefined
        ? {}
        : { maxFallbackVersions: options.maxFallbackVersions }),
      ...(onOutcome === undefined ? {} : { onOutcome }),
    });
    if (report) this.validate = this.validateAndReport;
  }

  validate(subject: string, output: unknown, options: ValidateCallOptions = {}): Promise<ValidationOutcome> {
    return this.service.validate(subject, output, callOptions(options));
  }

  validateNow(
    subject: string,
    output: unknown,
    options: ValidateCallOptions = {},
  ): ValidationOutcome | Promise<ValidationOutcome> {
    const now = this.service.validateNow(subject, output, callOptions(options));
    // A synchronous answer is always a success; failures (the only reported outcomes) arrive as a promise.
    if (!this.reporting || !(now instanceof Promise)) return now;
    return now.then((outcome) => {
      if (!outcome.ok) this.report(subject, output, outcome);
      return outcome;
    });
  }

  textFormat(subject: string, options: TextFormatOptions = {}): Promise<TextFormatAnswer> {
    return textFormat(this.source, subject, options);
  }

  parseResponse(
    subject: string,
    response: unknown,
    options: { version?: number | undefined; key?: string | undefined } = {},
  ): Promise<ValidationOutcome> {
    // Through `this.validate`, so bad cases are reported like any other output when reporting is on.
    return parseResponse((s, o, opts) => this.validate(s, o, opts), subject, response, options);
  }

  streamResponse(
    subject: string,
    stream: ResponseEventStream,
    options: ValidateCallOptions & ResumeOptions = {},
  ): AsyncGenerator<StreamResponseEvent, void, undefined> {
    const target = async () => {
      const picked = pickVersion(subject, await this.source.versions(subject), options.version);
      return { version: picked.version, parser: this.service.parser(picked) };
    };
    const validate = (response: Record<string, unknown>) =>
      this.validate(subject, response, callOptions(options));
    return streamResponse({ target, validate }, stream, options);
  }

  async parser(subject: string, version?: number): Promise<Parser> {
    // The service's own cache: a schema is compiled once whether it is asked for here or by validate().
    return this.service.parser(pickVersion(subject, await this.source.versions(subject), version));
  }

  async close(): Promise<void> {
    while (this.reports.size > 0) await Promise.allSettled([...this.reports]);
    await this.source.settled();
  }

  private async validateAndReport(
    subject: string,
    output: unknown,
    options: ValidateCallOptions = {},
  ): Promise<ValidationOutcome> {
    const outcome = await this.service.validate(subject, output, callOptions(options));
    if (!outcome.ok) this.report(subject, output, outcome);
    return outcome;
  }

  private report(subject: string, output: unknown, outcome: ValidationOutcome): void {
    const request = { output, version: outcome.targetVersion, ...keyOf(outcome) };
    const task = this.http.validate(subject, request).then(
      () => {
        this.lastReportError = undefined;
      },
      (err: unknown) => {
        this.lastReportError =
          err instanceof StructregError
            ? err
            : new StructregError("SR_SERVER_UNREACHABLE", "reporting a bad case failed", { cause: err });
      },
    );
    this.reports.add(task);
    void task.finally(() => this.reports.delete(task));
  }
}

function callOptions(options: ValidateCallOptions): { version?: number; key?: string } {
  const out: { version?: number; key?: string } = {};
  if (options.version !== undefined) out.version = options.version;
  if (options.key !== undefined) out.key = options.key;
  return out;
}

// Only a caller's own key is forwarded: a generated one means nothing to the server.
function keyOf(outcome: ValidationOutcome): { key?: string } {
  return outcome.key !== undefined && outcome.keyGenerated !== true ? { key: outcome.key } : {};
}

/** The pinned version, else the newest version that is not DISABLED (what "latest" means to the registry). */
function pickVersion(subject: string, versions: SourceVersion[], version: number | undefined): SourceVersion {
  if (versions.length === 0) {
    throw new StructregError("SR_SUBJECT_NOT_FOUND", `subject ${JSON.stringify(subject)} not found`);
  }
  const found =
    version === undefined
      ? versions.findLast((v) => v.state !== "DISABLED")
      : versions.find((v) => v.version === version);
  if (found === undefined) {
    const which = version === undefined ? "no enabled version" : `version ${version} not found`;
    throw new StructregError("SR_VERSION_NOT_FOUND", `subject ${JSON.stringify(subject)}: ${which}`);
  }
  return found;
}
