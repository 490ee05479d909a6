/** structreg's public library API (named exports only). */

export {
  DEFAULT_OPENAI_CONFIG,
  type OpenAIConfig,
  readOpenAIConfig,
  type SubjectGenerationSettings,
} from "./adapters/openai/openai-config.js";
export {
  createResponsesClient,
  type ResponsesClient,
  type ResponsesClientOptions,
} from "./adapters/openai/responses-client.js";
export { createMemoryQuarantineStore } from "./adapters/storage/memory-quarantine-store.js";
export { createMemorySchemaStore } from "./adapters/storage/memory-schema-store.js";
export {
  type OpenStoreOptions,
  openSchemaStore,
  openStores,
  type Stores,
} from "./adapters/storage/open-store.js";
export { createSqlQuarantineStore } from "./adapters/storage/sql-quarantine-store.js";
export { createGenerationService, type GenerationDeps, type SubjectGeneration } from "./app/generation.js";
export { buildTextFormat, formatName, type JsonSchemaTextFormat } from "./app/generation-format.js";
export type {
  GenerateRequest,
  GenerationInfo,
  GenerationOutcome,
  GenerationService,
  ResponsesPort,
  ResponsesRequest,
  ResponsesUsage,
  TextFormatResult,
  UpstreamResponse,
} from "./app/generation-types.js";
export {
  createLocalVersionSource,
  type LocalVersionSource,
  type LocalVersionSourceOptions,
} from "./app/local-version-source.js";
export type { QuarantineStore, SchemaStore } from "./app/ports.js";
export {
  createQuarantineService,
  type QuarantineDeps,
  type QuarantineService,
  type ReplayItem,
  type ReplayOptions,
  type ReplaySummary,
} from "./app/quarantine.js";
export { createRegistryService, type RegistryDeps } from "./app/registry.js";
export type {
  CheckVerdict,
  CompatibilityVerdict,
  RegistryService,
  VersionView,
} from "./app/registry-types.js";
export {
  type ResponseEventStream,
  type ResumeOptions,
  type StreamResponseEvent,
  streamResponse,
} from "./app/stream-response.js";
export {
  type SchemaRegistrar,
  type SyncEvent,
  type SyncReport,
  syncSchemasFolder,
} from "./app/sync.js";
export {
  createValidationService,
  type ResolveTarget,
  type TargetDecision,
  type ValidateOptions,
  type ValidationDeps,
  type ValidationQuarantine,
  type ValidationService,
} from "./app/validation.js";
export type {
  NewQuarantineEntry,
  QuarantineQuery,
  QuarantineRecord,
  QuarantineRetention,
  Resolution,
  SourceVersion,
  ValidationFailure,
  ValidationOutcome,
  ValidationSuccess,
  VersionSource,
} from "./app/validation-types.js";
export {
  createRegistryClient,
  type RegistryClient,
  type RegistryClientOptions,
} from "./client/http-client.js";
export {
  createRemoteVersionSource,
  type RemoteVersionSource,
  type RemoteVersionSourceOptions,
} from "./client/remote-version-source.js";
export {
  parseResponse,
  type TextFormatAnswer,
  type TextFormatOptions,
  textFormat,
} from "./client/text-format.js";
export {
  createValidatingClient,
  type ValidateCallOptions,
  type ValidatingClient,
  type ValidatingClientOptions,
} from "./client/validating-client.js";

export {
  type CompatibilityDifference,
  type CompatibilityInput,
  type CompatibilityResult,
  checkCompatibility,
} from "./core/compat/check.js";
export { type CompareOptions, compareSchemas, type SchemaComparison } from "./core/compat/compare.js";
export { FIXES } from "./core/compat/fixes.js";
export { COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT } from "./core/compat/kinds.js";
export type { Difference } from "./core/compat/types.js";
export { ERROR_CODES, type ErrorCode, isStructregError, StructregError } from "./core/errors.js";
export type { JsonObject, JsonSchema, JsonValue } from "./core/json.js";
export * from "./core/model.js";
export type { Issue, IssueCode } from "./core/parse/issues.js";
export type { ParseFailure, ParseFailureReason, ParseResult } from "./core/parse/outcomes.js";
export {
  createParser,
  createStreamParser,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  type Parser,
  type ParserOptions,
  parseOutput,
} from "./core/parse/pipeline.js";
export { REPAIR_KINDS, type Repair, type RepairKind } from "./core/parse/repairs.js";
export {
  DEFAULT_MAX_PENDING_EVENTS,
  type EventStep,
  type ResponseEvent,
  ResponseEventReader,
} from "./core/parse/response-events.js";
export { type ModelOutput, normalizeModelOutput } from "./core/parse/responses.js";
export type { StreamParser, StreamPartial, StreamStatus } from "./core/parse/stream-parser.js";
export { buildFlag, flagKeyFor, type LdFlag } from "./core/rollout/flag.js";
export {
  DEFAULT_GUARD,
  type GuardFigures,
  type GuardSettings,
  ROLLOUT_STAGES,
  type RolloutEvent,
  type RolloutStage,
  type RolloutState,
} from "./core/rollout/model.js";
export type { SetRolloutInput } from "./core/rollout/transitions.js";
export {
  type AnalyzeFailure,
  type AnalyzeOptions,
  type AnalyzeResult,
  type AnalyzeSuccess,
  analyzeSchema,
} from "./core/schema/analyze.js";
export { bundleSchema } from "./core/schema/bundle.js";
export { canonicalJson, fingerprintOf } from "./core/schema/canonical.js";
export {
  DEFAULT_LIMITS,
  type ProviderLimits,
  resolveLimits,
  type SchemaLimits,
  type SchemaLimitsInput,
} from "./core/schema/limits.js";
export { lintSchema, PROFILE_RULES } from "./core/schema/lint.js";
export type { LintProblem, LintRule } from "./core/schema/lint-types.js";
export { toProviderSchema } from "./core/schema/provider-form.js";
export {
  DEFAULT_REFERENCE_LIMITS,
  type DocumentLoader,
  type LoadedDocument,
  loadReferencedDocuments,
  type ReferenceLimits,
  type SchemaReference,
  type StoredDocument,
} from "./core/schema/references.js";
export { compileSchema, toValidationSchema } from "./core/validate/ajv.js";
export { compileLinearPattern, linearRegExpEngine, testPattern } from "./core/validate/linear-regexp.js";
