/**
 * Generation: resolve the subject's target version (pin, else the rollout decision, else latest), send its
 * provider-form schema as a strict `json_schema` text format through the resilient Responses client, and
 * run the answer through validate-and-parse, so a refusal, a truncated answer or a bad output becomes a
 * typed (and quarantined) outcome like any other output. While a model's breaker is open the subject may
 * degrade to a fallback model or a fallback value instead of failing fast.
 */
import { createHash } from "node:crypto";
import { isStructregError, StructregError } from "../core/errors.js";
import type { JsonSchema, JsonValue } from "../core/json.js";
import { toProviderSchema } from "../core/schema/provider-form.js";
import { buildTextFormat } from "./generation-format.js";
import { IdempotencyWindow } from "./generation-idempotency.js";
import { type GenerationStream, streamGeneration, usageOf } from "./generation-stream.js";
import type {
  GenerateRequest,
  GenerationInfo,
  GenerationOutcome,
  GenerationService,
  ResponsesPort,
  ResponsesRequest,
  TextFormatResult,
  UpstreamResponse,
} from "./generation-types.js";
import type { ResolveTarget, ValidationService } from "./validation.js";
import type { Resolution, SourceVersion, ValidationOutcome, VersionSource } from "./validation-types.js";

/** Per-subject generation settings (model, and how to degrade while its breaker is open). */
export interface SubjectGeneration {
  model?: string;
  fallbackModel?: string;
  fallbackValue?: JsonValue;
}

/** What the generation service is built from. */
export interface GenerationDeps {
  versions: VersionSource;
  validation: ValidationService;
  /** The Responses client; undefined when OPENAI_API_KEY is not set (generate answers SR_OPENAI_NOT_CONFIGURED). */
  responses: ResponsesPort | undefined;
  /** The rollout decision (the same one validation uses); default: the latest live version. */
  resolveTarget?: ResolveTarget;
  /** The provider form of a version's schema (the registry's `getProviderSchema`); default computed locally. */
  providerSchema?: (subject: string, version: number) => Promise<JsonSchema>;
  defaultModel: string;
  subjects?: Readonly<Record<string, SubjectGeneration>>;
  /** Budget of one generate call, so a fallback model only gets what is left (and a cut stream's resumes). */
  budgetMs: number;
  /** Retries of one call (STRUCTREG_OPENAI_MAX_RETRIES): also the resumes of a cut stream. Default 2. */
  maxRetries?: number;
  idempotencyWindowMs: number;
  /** Monotonic milliseconds. */
  now: () => number;
  randomKey: () => string;
}

/** Creates the generation service. */
export function createGenerationService(deps: GenerationDeps): GenerationService {
  return new Generation(deps);
}

interface Target {
  version: number;
  resolution: Resolution;
  key: string;
  keyGenerated: boolean;
}

class Generation implements GenerationService {
  private readonly idempotency: IdempotencyWindow<GenerationOutcome>;

  constructor(private readonly deps: GenerationDeps) {
    this.idempotency = new IdempotencyWindow(deps.idempotencyWindowMs, deps.now);
  }

  async textFormat(
    subject: string,
    options: { key?: string; version?: number } = {},
  ): Promise<TextFormatResult> {
    const target = await this.resolve(subject, options);
    const schema = await this.providerSchema(subject, target.version);
    return {
      format: buildTextFormat(subject, target.version, schema),
      version: target.version,
      resolution: target.resolution,
    };
  }

  async generate(subject: string, request: GenerateRequest): Promise<GenerationOutcome> {
    const responses = this.deps.responses;
    if (responses === undefined) throw notConfigured();
    if (request.idempotencyKey === undefined || this.deps.idempotencyWindowMs === 0) {
      return this.generateOnce(responses, subject, request);
    }
    const key = `${subject}\u0000${request.idempotencyKey}`;
    const { value, replayed } = await this.idempotency.run(key, fingerprint(subject, request), () =>
      this.generateOnce(responses, subject, request),
    );
    return replayed ? { ...value, replayed: true } : value;
  }

  async generateStream(subject: string, request: GenerateRequest): Promise<GenerationStream> {
    const responses = this.deps.responses;
    if (responses?.stream === undefined) throw notConfigured();
    const target = await this.resolve(subject, request);
    const body = await this.requestFor(subject, request, target);
    const found = findVersion(subject, await this.deps.versions.versions(subject), target.version);
    const upstream = await responses.stream(body);
    return streamGeneration({
      version: target.version,
      parser: this.deps.validation.parser(found),
      upstream,
      info: { model: upstream.model, requestId: upstream.requestId ?? null, attempts: upstream.attempts },
      validate: (response) => this.validate(subject, response, target),
      // Resumes follow the call's retry rules: as many as its retries, within its budget of the first cut.
      resumeLimits: { maxResumes: this.deps.maxRetries ?? 2, resumeBudgetMs: this.deps.budgetMs },
    });
  }

  /** The Responses request for a target: the version's provider schema as a strict text format. */
  private async requestFor(
    subject: string,
    request: GenerateRequest,
    target: Target,
  ): Promise<ResponsesRequest> {
    const schema = await this.providerSchema(subject, target.version);
    return requestBody(request, request.model ?? this.settings(subject).model ?? this.deps.defaultModel, {
      format: buildTextFormat(subject, target.version, schema),
    });
  }

  private settings(subject: string): SubjectGeneration {
    const subjects = this.deps.subjects ?? {};
    // Own keys only: a subject named "constructor" must not read Object.prototype's.
    return Object.hasOwn(subjects, subject) ? (subjects[subject] as SubjectGeneration) : {};
  }

  private async generateOnce(
    responses: ResponsesPort,
    subject: string,
    request: GenerateRequest,
  ): Promise<GenerationOutcome> {
    const started = this.deps.now();
    const target = await this.resolve(subject, request);
    const settings = this.settings(subject);
    const body = await this.requestFor(subject, request, target);
    let upstream: UpstreamResponse;
    let degraded: GenerationInfo["degraded"];
    try {
      upstream = await responses.create(body);
    } catch (err) {
      if (!isStructregError(err) || err.code !== "SR_OPENAI_CIRCUIT_OPEN") throw err;
      const budgetMs = this.deps.budgetMs - (this.deps.now() - started);
      const fallback = await this.degrade(responses, subject, target, body, settings, budgetMs, err);
      if (!("response" in fallback)) return fallback;
      upstream = fallback;
      degraded = "fallback_model";
    }
    const outcome = await this.validate(subject, upstream.response, target);
    return withInfo(outcome, {
      model: upstream.model,
      requestId: upstream.requestId ?? null,
      usage: usageOf(upstream.response),
      attempts: upstream.attempts,
      ...(degraded === undefined ? {} : { degraded }),
    });
  }

  /** The breaker of the model is open: a fallback model, else a fallback value, else the typed error. */
  private async degrade(
    responses: ResponsesPort,
    subject: string,
    target: Target,
    body: ResponsesRequest,
    settings: SubjectGeneration,
    budgetMs: number,
    open: StructregError,
  ): Promise<UpstreamResponse | GenerationOutcome> {
    let last = open;
    if (settings.fallbackModel !== undefined && settings.fallbackModel !== body.model && budgetMs > 0) {
      try {
        return await responses.create({ ...body, model: settings.fallbackModel }, { budgetMs });
      } catch (err) {
        if (!isStructregError(err) || err.code !== "SR_OPENAI_CIRCUIT_OPEN") throw err;
        last = err;
      }
    }
    if (settings.fallbackValue === undefined) throw last;
    const outcome = await this.validate(subject, settings.fallbackValue, target);
    return withInfo(outcome, {
      model: body.model,
      requestId: null,
      usage: null,
      attempts: 0,
      degraded: "fallback_value",
    });
  }

  private async validate(subject: string, output: unknown, target: Target): Promise<ValidationOutcome> {
    const outcome = await this.deps.validation.validate(subject, output, {
      version: target.version,
      key: target.key,
    });
    // Validation was pinned to the version the schema was sent for; report why that version was chosen.
    return { ...outcome, resolution: target.resolution, key: target.key, keyGenerated: target.keyGenerated };
  }

  private async resolve(subject: string, options: { key?: string; version?: number }): Promise<Target> {
    const versions = await this.deps.versions.versions(subject);
    if (versions.length === 0) {
      throw new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`);
    }
    const keyGenerated = options.key === undefined;
    const key = options.key ?? this.deps.randomKey();
    if (options.version !== undefined) {
      return {
        version: findVersion(subject, versions, options.version).version,
        resolution: "pinned",
        key,
        keyGenerated,
      };
    }
    const live = versions.filter((v) => v.state !== "DISABLED");
    if (live.length === 0) {
      throw new StructregError("SR_VERSION_NOT_FOUND", `Subject '${subject}' has no enabled version.`);
    }
    if (this.deps.resolveTarget === undefined) {
      return {
        version: (live[live.length - 1] as SourceVersion).version,
        resolution: "latest",
        key,
        keyGenerated,
      };
    }
    const decision = await this.deps.resolveTarget(subject, key, live);
    return { version: decision.version, resolution: decision.resolution, key, keyGenerated };
  }

  private async providerSchema(subject: string, version: number): Promise<JsonSchema> {
    if (this.deps.providerSchema !== undefined) return this.deps.providerSchema(subject, version);
    const found = findVersion(subject, await this.deps.versions.versions(subject), version);
    return toProviderSchema(found.schema);
  }
}

function requestBody(
  request: GenerateRequest,
  model: string,
  text: ResponsesRequest["text"],
): ResponsesRequest {
  const body: ResponsesRequest = { model, input: request.input, text };
  if (request.instructions !== undefined) body.instructions = request.instructions;
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  return body;
}

function withInfo(outcome: ValidationOutcome, info: GenerationInfo): GenerationOutcome {
  return { ...outcome, ...info };
}

/** What makes two generate requests "the same" for idempotency (everything but the key itself). */
function fingerprint(subject: string, request: GenerateRequest): string {
  const { idempotencyKey: _ignored, ...rest } = request;
  return createHash("sha256")
    .update(JSON.stringify([subject, rest]))
    .digest("hex");
}

function findVersion(subject: string, versions: SourceVersion[], version: number): SourceVersion {
  const found = versions.find((v) => v.version === version);
  if (found !== undefined) return found;
  throw new StructregError(
    "SR_VERSION_NOT_FOUND",
    `Version ${version} not found under subject '${subject}'.`,
  );
}

function notConfigured(): StructregError {
  return new StructregError("SR_OPENAI_NOT_CONFIGURED", "generation is off: OPENAI_API_KEY is not set", {
    hint: "set OPENAI_API_KEY on the server (and OPENAI_BASE_URL for a compatible endpoint)",
  });
}
