/**
 * The import's target: a structreg server over its HTTP API, so every write goes through the same service,
 * modes and rules as any other client's. Writes use Confluent's IMPORT mode contract: the subject is put in
 * IMPORT mode (forced: re-runs import into subjects that already hold versions), versions are registered
 * with their source id and version number, and the subject's previous mode is restored afterwards.
 */
import { errorFromResponse } from "../../client/http-client.js";
import { StructregError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json.js";
import type { JsonAnswer, JsonHttp } from "./http-json.js";
import type { Settings, VersionRecord } from "./records.js";

/** A version as the target holds it. */
export interface TargetVersion {
  id: number;
  schema: string;
  deleted: boolean;
  state: string | undefined;
}

/** The operations an import needs from the target. */
export interface ImportTarget {
  readonly origin: string;
  getVersion(subject: string, version: number): Promise<TargetVersion | undefined>;
  /** The subject's version numbers, soft-deleted ones included; undefined when the subject does not exist. */
  listVersions(subject: string): Promise<number[] | undefined>;
  /** The subject's own mode, or null when it follows the global mode. */
  getSubjectMode(subject: string): Promise<string | null>;
  /** Sets (or with null removes) the subject's own mode. */
  setSubjectMode(subject: string, mode: string | null): Promise<void>;
  /** Registers a version with its source id and version number (the subject must be in IMPORT mode). */
  importVersion(record: VersionRecord): Promise<{ id: number; version: number }>;
  /** Soft-deletes a version; a version already soft-deleted counts as done. */
  softDelete(subject: string, version: number): Promise<void>;
  setState(subject: string, version: number, state: string): Promise<void>;
  /** Own settings of a subject (null: global); undefined when it has none of its own. */
  getOwnSettings(subject: string | null): Promise<Settings | undefined>;
  setSettings(subject: string | null, settings: Settings): Promise<void>;
}

/** The target over a JSON HTTP endpoint. */
export function createImportTarget(http: JsonHttp): ImportTarget {
  const subjectPath = (s: string) => `/subjects/${encodeURIComponent(s)}`;
  const modePath = (s: string) => `/mode/${encodeURIComponent(s)}`;
  const configPath = (s: string | null) => (s === null ? "/config" : `/config/${encodeURIComponent(s)}`);
  return {
    origin: http.origin,
    async getVersion(subject, version) {
      const answer = await http.request("GET", `${subjectPath(subject)}/versions/${version}?deleted=true`);
      if (answer.status === 404) return undefined;
      const body = expectOk(answer);
      if (!isJsonObject(body) || typeof body.id !== "number" || typeof body.schema !== "string") {
        throw new StructregError("SR_SERVER_UNREACHABLE", "the target's version answer has no id or schema", {
          hint: "check that --url / STRUCTREG_URL points at a structreg registry",
        });
      }
      return {
        id: body.id,
        schema: body.schema,
        deleted: body.deleted === true,
        state: typeof body.state === "string" ? body.state : undefined,
      };
    },
    async listVersions(subject) {
      const answer = await http.request("GET", `${subjectPath(subject)}/versions?deleted=true`);
      if (answer.status === 404 && !isRouteMissing(answer)) return undefined;
      const body = expectOk(answer);
      return Array.isArray(body) ? body.filter((n): n is number => typeof n === "number") : [];
    },
    async getSubjectMode(subject) {
      const answer = await http.request("GET", modePath(subject));
      if (answer.status === 404 && !isRouteMissing(answer)) return null;
      const body = expectOk(answer);
      return isJsonObject(body) && typeof body.mode === "string" ? body.mode : null;
    },
    async setSubjectMode(subject, mode) {
      if (mode === null) {
        const answer = await http.request("DELETE", modePath(subject));
        if (answer.status !== 404) expectOk(answer);
        return;
      }
      expectOk(await http.request("PUT", `${modePath(subject)}?force=true`, { mode }));
    },
    async importVersion(record) {
      const body = {
        schema: record.schema,
        schemaType: record.schemaType,
        references: record.references,
        id: record.id,
        version: record.version,
      };
      const answer = expectOk(await http.request("POST", `${subjectPath(record.subject)}/versions`, body));
      const id = isJsonObject(answer) && typeof answer.id === "number" ? answer.id : -1;
      const version =
        isJsonObject(answer) && typeof answer.version === "number" ? answer.version : record.version;
      return { id, version };
    },
    async softDelete(subject, version) {
      const answer = await http.request("DELETE", `${subjectPath(subject)}/versions/${version}`);
      if (errorCodeOf(answer) === 40406) return; // already soft-deleted
      expectOk(answer);
    },
    async setState(subject, version, state) {
      expectOk(await http.request("PUT", `${subjectPath(subject)}/versions/${version}/state`, { state }));
    },
    async getOwnSettings(subject) {
      const answer = await http.request("GET", configPath(subject));
      if (answer.status === 404 && !isRouteMissing(answer)) return undefined;
      const body = expectOk(answer);
      if (!isJsonObject(body)) return undefined;
      const settings: Settings = {};
      if (typeof body.compatibilityLevel === "string") settings.compatibilityLevel = body.compatibilityLevel;
      if (typeof body.policy === "string") settings.policy = body.policy;
      if (typeof body.profile === "string") settings.profile = body.profile;
      return settings;
    },
    async setSettings(subject, settings) {
      const { compatibilityLevel, ...rest } = settings;
      const patch = compatibilityLevel === undefined ? rest : { compatibility: compatibilityLevel, ...rest };
      expectOk(await http.request("PUT", configPath(subject), patch));
    },
  };
}

function errorCodeOf(answer: JsonAnswer): unknown {
  return isJsonObject(answer.body) ? answer.body.error_code : undefined;
}

// A 404 for the route itself (an older structreg without modes) is an error, not "no mode of its own".
function isRouteMissing(answer: JsonAnswer): boolean {
  return isJsonObject(answer.body) && answer.body.code === "SR_ROUTE_NOT_FOUND";
}

function expectOk(answer: JsonAnswer): unknown {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const error = errorFromResponse(answer.status, answer.text);
  if (error.code !== "SR_ROUTE_NOT_FOUND") throw error;
  throw new StructregError("SR_ROUTE_NOT_FOUND", `the target has no such endpoint: ${error.message}`, {
    hint: "the target must be a structreg server with modes (IMPORT) support: upgrade it",
  });
}
