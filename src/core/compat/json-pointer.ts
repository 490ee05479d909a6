import { isJsonObject, type JsonValue } from "../json.js";

/** Escapes one JSON Pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Joins segments into a JSON Pointer; no segments is the root pointer `""`. */
export function toPointer(segments: readonly string[]): string {
  let out = "";
  for (const segment of segments) out += `/${escapeSegment(segment)}`;
  return out;
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Resolves a local `$ref` (`#` or `#/json/pointer`, percent-encoded as a URI fragment) inside `root`.
 * Anything else (remote documents, `$anchor` names) is unresolvable here and yields `undefined`.
 */
export function resolveLocalRef(root: JsonValue, ref: string): JsonValue | undefined {
  if (!ref.startsWith("#")) return undefined;
  let fragment: string;
  try {
    // RFC 6901 §6: a pointer in a URI fragment is percent-decoded first, then split and ~-decoded.
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment === "") return root;
  if (!fragment.startsWith("/")) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of fragment.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      node = ARRAY_INDEX.test(segment) ? node[Number(segment)] : undefined;
    } else if (isJsonObject(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}
