import { isJsonObject, type JsonSchema } from "../json.js";
import { compileLinearPattern } from "../validate/linear-regexp.js";
import { escapePointer } from "./keywords.js";
import type { SchemaLimits } from "./limits.js";
import { collectSubschemas, type SchemaNode } from "./walk.js";

/** Why a schema is refused before it is compiled. */
export interface SafetyFailure {
  code: "SR_SCHEMA_TOO_LARGE" | "SR_SCHEMA_TOO_DEEP" | "SR_REMOTE_REF" | "SR_UNSAFE_PATTERN";
  message: string;
  /** JSON Pointer of the offending keyword, when there is one. */
  path?: string;
  hint?: string;
}

/** Bytes of `text` encoded as UTF-8 (what a request body or a file holds). */
export function utf8ByteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** Refuses a schema text larger than `limits.maxSchemaBytes`. */
export function checkSchemaSize(text: string, limits: SchemaLimits): SafetyFailure | undefined {
  // Cheap exit: no string of n UTF-16 units takes more than 3n bytes of UTF-8.
  if (text.length * 3 <= limits.maxSchemaBytes) return undefined;
  const bytes = utf8ByteLength(text);
  if (bytes <= limits.maxSchemaBytes) return undefined;
  return {
    code: "SR_SCHEMA_TOO_LARGE",
    message: `Schema is ${bytes} bytes; the limit is ${limits.maxSchemaBytes}. Split it into smaller schemas or raise maxSchemaBytes.`,
  };
}

/**
 * JSON nesting depth of a value (a scalar is 0, `{}` and `[]` are 1), measured iteratively. Stops early and
 * answers `stopAfter + 1` once the depth exceeds `stopAfter`, so huge or cyclic input costs little.
 */
export function measureDepth(value: unknown, stopAfter: number = Number.MAX_SAFE_INTEGER): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== "object" || node === null) continue;
    if (depth > max) max = depth;
    if (max > stopAfter) return stopAfter + 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return max;
}

/** Refuses a document nested deeper than `limits.maxSchemaDepth`. */
export function checkSchemaDepth(value: unknown, limits: SchemaLimits): SafetyFailure | undefined {
  if (measureDepth(value, limits.maxSchemaDepth) <= limits.maxSchemaDepth) return undefined;
  return {
    code: "SR_SCHEMA_TOO_DEEP",
    message: `Schema is nested deeper than ${limits.maxSchemaDepth} levels. Flatten it (move subschemas to $defs and use $ref) or raise maxSchemaDepth.`,
  };
}

/** A `$ref` that points outside the document. */
export interface RemoteRef {
  path: string;
  ref: string;
}

const REF_KEYWORDS = ["$ref", "$dynamicRef", "$recursiveRef"] as const;
// Base URI of a document without `$id`: only used to resolve relative references, never fetched.
const DOCUMENT_BASE = "https://structreg.invalid/schema.json";

/**
 * References that resolve outside the document: anything but a local `#…` pointer or anchor, or a
 * reference to an `$id` declared inside the document. Nothing is ever fetched.
 */
export function findRemoteRefs(schema: JsonSchema): RemoteRef[] {
  const nodes = collectSubschemas(schema);
  const bases = baseUris(nodes);
  const local = new Set(bases.map(withoutFragment));
  const remote: RemoteRef[] = [];
  nodes.forEach((node, i) => {
    if (!isJsonObject(node.schema)) return;
    for (const keyword of REF_KEYWORDS) {
      const ref = node.schema[keyword];
      if (typeof ref !== "string") continue;
      const target = resolveUri(ref, bases[i] as string);
      if (target === undefined || !local.has(withoutFragment(target))) {
        remote.push({ path: `${node.path}/${keyword}`, ref });
      }
    }
  });
  return remote;
}

/** A regular expression the schema must not carry. */
export interface UnsafePattern {
  path: string;
  pattern: string;
  /** "invalid": not a `u`-flag RegExp; "unsupported": RE2 cannot run it. */
  reason: "invalid" | "unsupported";
  /** What exactly is wrong, e.g. "it uses a lookahead ((?= or (?!)". */
  detail: string;
}

/**
 * `pattern` values and `patternProperties` keys that are invalid `u`-flag RegExps or that RE2, the
 * linear-time engine every pattern runs on, cannot run (backreferences, lookaround …).
 */
export function findUnsafePatterns(schema: JsonSchema): UnsafePattern[] {
  const found: UnsafePattern[] = [];
  for (const node of collectSubschemas(schema)) {
    if (!isJsonObject(node.schema)) continue;
    const { pattern, patternProperties } = node.schema;
    if (typeof pattern === "string") judgePattern(pattern, `${node.path}/pattern`, found);
    if (isJsonObject(patternProperties)) {
      for (const key of Object.keys(patternProperties)) {
        judgePattern(key, `${node.path}/patternProperties/${escapePointer(key)}`, found);
      }
    }
  }
  return found;
}

/** Depth, remote references and unsafe patterns of a parsed schema, in that order (cheap first). */
export function checkSchemaSafety(schema: JsonSchema, limits: SchemaLimits): SafetyFailure | undefined {
  const deep = checkSchemaDepth(schema, limits);
  if (deep !== undefined) return deep;
  const [ref] = findRemoteRefs(schema);
  if (ref !== undefined) {
    return {
      code: "SR_REMOTE_REF",
      path: ref.path,
      message: `Schema references "${ref.ref}" at ${ref.path}, outside the document; structreg never fetches remote schemas.`,
      hint: 'Inline the referenced schema under $defs and point to it with a local reference such as #/$defs/Name, or register it as a subject of its own and list it in the request\'s references ([{"name": "<this $ref>", "subject": "<subject>", "version": <n>}]).',
    };
  }
  const [unsafe] = findUnsafePatterns(schema);
  if (unsafe !== undefined) return unsafePatternFailure(unsafe);
  return undefined;
}

function unsafePatternFailure(unsafe: UnsafePattern): SafetyFailure {
  const invalid = unsafe.reason === "invalid";
  const why = invalid
    ? unsafe.detail
    : `cannot run on RE2, the linear-time engine structreg matches every pattern with: ${unsafe.detail}`;
  return {
    code: "SR_UNSAFE_PATTERN",
    path: unsafe.path,
    message: `Pattern ${JSON.stringify(unsafe.pattern)} at ${unsafe.path} ${why}.`,
    hint: invalid
      ? "Write the pattern as an ECMAScript regular expression valid with the u flag."
      : "Rewrite it without backreferences or lookaround (a condition a lookahead checks can be a second pattern under allOf), with counted repetition ({n,m}) of at most 1000, and with General_Category or Script Unicode properties only.",
  };
}

function judgePattern(pattern: string, path: string, found: UnsafePattern[]): void {
  const compiled = compileLinearPattern(pattern);
  if (compiled.ok) return;
  const reason = compiled.invalid ? "invalid" : "unsupported";
  found.push({ path, pattern, reason, detail: compiled.reason });
}

/** Base URI in effect at each node: its own `$id` resolved against its parent's base. */
function baseUris(nodes: readonly SchemaNode[]): string[] {
  const bases: string[] = [];
  nodes.forEach((node, i) => {
    // Parents always come before their children in the walk's pre-order.
    const parentBase = node.parent < 0 ? DOCUMENT_BASE : (bases[node.parent] as string);
    const id = isJsonObject(node.schema) ? node.schema.$id : undefined;
    bases[i] = (typeof id === "string" ? resolveUri(id, parentBase) : undefined) ?? parentBase;
  });
  return bases;
}

/** `ref` resolved against `base` as a URI, or undefined when it is not one. */
export function resolveUri(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

/** A URI without its `#fragment`. */
export function withoutFragment(uri: string): string {
  const hash = uri.indexOf("#");
  return hash < 0 ? uri : uri.slice(0, hash);
}
