import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { z } from "zod";
import type { ZodSchema as Zod3Schema } from "zod/v3";
import { zodToJsonSchema } from "zod-to-json-schema";
import { StructregError } from "../core/errors.js";
import { isJsonObject, type JsonSchema } from "../core/json.js";
import { collectSubschemas } from "../core/schema/walk.js";

const MODULE_EXTENSIONS: ReadonlySet<string> = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"]);

/** Options of `loadSchemaSource`. */
export interface SchemaSourceOptions {
  /** Folder relative paths are resolved against (default: the process's working folder). */
  cwd?: string;
}

/**
 * Loads a JSON Schema from a source spec: a `.json` file, or `module.ts#ExportName` (also .mts/.js/.mjs;
 * the default export when `#ExportName` is absent) exporting a Zod 4 schema, a Zod 3 schema or a plain
 * JSON Schema object. Zod schemas are converted to the JSON Schema OpenAI strict mode expects.
 * Every failure is a StructregError SR_SCHEMA_SOURCE saying what to do.
 */
export async function loadSchemaSource(spec: string, options: SchemaSourceOptions = {}): Promise<JsonSchema> {
  const { file, exportName } = splitSpec(spec);
  const path = resolve(options.cwd ?? process.cwd(), file);
  const ext = extname(path).toLowerCase();
  if (ext === ".json") {
    if (exportName !== undefined) {
      throw sourceError(
        `"${spec}" names an export, but a .json file has none; drop the "#${exportName}" part.`,
      );
    }
    return readJsonFile(path);
  }
  if (!MODULE_EXTENSIONS.has(ext)) {
    throw sourceError(
      `Cannot load "${spec}": use a .json file or a module (.ts, .mts, .js, .mjs) with #ExportName.`,
    );
  }
  const module = await importModule(path);
  const name = exportName ?? "default";
  if (!Object.hasOwn(module, name)) {
    const available = Object.keys(module).join(", ") || "none";
    throw sourceError(
      `Module "${file}" has no export "${name}" (exports: ${available}); name one with "${file}#Name".`,
    );
  }
  return toJsonSchema(module[name], `${file}#${name}`);
}

/** Splits `path#Export` at the last `#` (a `#` inside a folder name stays part of the path). */
function splitSpec(spec: string): { file: string; exportName?: string } {
  const hash = spec.lastIndexOf("#");
  if (hash < 0 || spec.slice(hash + 1).includes("/")) return { file: spec };
  const exportName = spec.slice(hash + 1);
  if (exportName === "") return { file: spec.slice(0, hash) };
  return { file: spec.slice(0, hash), exportName };
}

async function readJsonFile(path: string): Promise<JsonSchema> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw sourceError(`Cannot read "${path}": ${(err as Error).message}. Check the path.`, err);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw sourceError(`"${path}" is not valid JSON: ${(err as Error).message}. Fix the syntax.`, err);
  }
  if (typeof value !== "boolean" && !isJsonObject(value)) {
    throw sourceError(`"${path}" must hold a JSON Schema (an object or a boolean).`);
  }
  return value;
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  try {
    // tsx compiles TypeScript on the fly; plain JavaScript modules load through it unchanged.
    return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (err) {
    const reason = (err as Error)?.message ?? String(err);
    throw sourceError(`Cannot import "${path}": ${reason}. Check the path and that the module runs.`, err);
  }
}

/** Converts an exported value: Zod 4 (has `_zod`), Zod 3 (has `_def`), or a plain JSON Schema object. */
function toJsonSchema(value: unknown, where: string): JsonSchema {
  if (isZod4(value)) {
    // io "output" (the default) closes every object with additionalProperties: false, as strict mode needs.
    const schema = convert(where, () => z.toJSONSchema(value, { target: "draft-2020-12", io: "output" }));
    return withoutBuiltinPatterns(withoutDialect(schema));
  }
  if (isZod3(value))
    return withoutDialect(convert(where, () => zodToJsonSchema(value, { target: "openAi" })));
  if (typeof value === "boolean" || isJsonObject(value)) return convert(where, () => value);
  throw sourceError(
    `"${where}" is not a Zod schema or a JSON Schema object; export one (e.g. z.object({…})).`,
  );
}

function isZod4(value: unknown): value is z.core.$ZodType {
  return typeof value === "object" && value !== null && "_zod" in value;
}

function isZod3(value: unknown): value is Zod3Schema {
  return typeof value === "object" && value !== null && "_def" in value && "safeParse" in value;
}

/** Runs a conversion and makes the result plain JSON (a deep copy: nothing shared with the module). */
function convert(where: string, produce: () => unknown): JsonSchema {
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(produce()));
  } catch (err) {
    throw sourceError(`Cannot convert "${where}" to JSON Schema: ${(err as Error).message}.`, err);
  }
  if (typeof json !== "boolean" && !isJsonObject(json)) {
    throw sourceError(`"${where}" did not convert to a JSON Schema object.`);
  }
  return json;
}

/**
 * Drops `$schema` from a converter's output: Zod 3's converter writes draft 2019-09, which the registry's
 * ajv does not load, and without it the registry uses its default dialect, 2020-12 (what Zod 4 targets).
 */
function withoutDialect(schema: JsonSchema): JsonSchema {
  if (!isJsonObject(schema)) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

// Sources of the regular expressions Zod 4 writes as `pattern` next to a `format` (z.email(), z.hostname() …).
const ZOD_BUILTIN_PATTERNS: ReadonlySet<string> = new Set(
  Object.values(z.core.regexes)
    .filter((r): r is RegExp => r instanceof RegExp)
    .map((r) => r.source),
);

/**
 * Drops the `pattern` Zod 4 adds beside a `format` when it is Zod's own regex for that format: the format
 * already says it (ajv-formats checks it, OpenAI supports it), and some of those regexes (hostname,
 * duration) use lookaheads, which RE2, the registry's linear-time regex engine, cannot run. Patterns from
 * `.regex()` stay.
 * Mutates `schema`, which is the converter's fresh copy.
 */
function withoutBuiltinPatterns(schema: JsonSchema): JsonSchema {
  for (const { schema: node } of collectSubschemas(schema)) {
    if (!isJsonObject(node) || typeof node.format !== "string" || typeof node.pattern !== "string") continue;
    if (ZOD_BUILTIN_PATTERNS.has(node.pattern)) Reflect.deleteProperty(node, "pattern");
  }
  return schema;
}

function sourceError(message: string, cause?: unknown): StructregError {
  return new StructregError("SR_SCHEMA_SOURCE", message, cause === undefined ? {} : { cause });
}
