/** Extraction: finds the JSON object inside a model's text (BOM, fences, prose). Linear time, no recursion. */
import { addRepair, type Repair } from "./repairs.js";

/** The span that holds the JSON object, or why there is none. */
export type Extraction =
  | { ok: true; span: string; repairs: Repair[] }
  | { ok: false; reason: "no_json" }
  | { ok: false; reason: "too_deep"; limit: number };

const OPEN_BRACE = 0x7b;
const FENCE = "```";

/**
 * Finds the JSON object in `text`: after a BOM, the text itself when it starts with `{`; otherwise the
 * first fenced code block holding an object; otherwise the first `{` in the prose. The span runs to the
 * bracket that balances the opening one, or to the end when the text was cut off (the repairer may
 * close it). Bracket nesting deeper than `maxDepth` fails here, before anything recursive sees it.
 */
export function extractJson(text: string, maxDepth: number): Extraction {
  const repairs: Repair[] = [];
  let start = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    addRepair(repairs, { kind: "stripped_bom", path: "" });
    start = 1;
  }
  const first = skipSpace(text, start);
  if (text.charCodeAt(first) === OPEN_BRACE) {
    return spanFrom(text, first, text.length, maxDepth, repairs, false);
  }
  const fenced = findFencedObject(text, start);
  if (fenced !== undefined) {
    addRepair(repairs, { kind: "extracted_fence", path: "" });
    return spanFrom(text, fenced.open, fenced.end, maxDepth, repairs, true);
  }
  const brace = text.indexOf("{", start);
  if (brace === -1) return { ok: false, reason: "no_json" };
  addRepair(repairs, { kind: "extracted_prose", path: "" });
  return spanFrom(text, brace, text.length, maxDepth, repairs, true);
}

function spanFrom(
  text: string,
  open: number,
  limit: number,
  maxDepth: number,
  repairs: Repair[],
  extracted: boolean,
): Extraction {
  const end = balancedEnd(text, open, limit, maxDepth);
  if (end === -1) return { ok: false, reason: "too_deep", limit: maxDepth };
  // Text after the object in an output that starts with `{` is prose too: say so once.
  if (!extracted && skipSpace(text, end) < text.length)
    addRepair(repairs, { kind: "extracted_prose", path: "" });
  return { ok: true, span: text.slice(open, end), repairs };
}

/** Index after the bracket closing the one at `open` (or `limit` when unbalanced); -1 when too deep. */
export function balancedEnd(text: string, open: number, limit: number, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === OPEN_BRACE || c === 0x5b) {
      if (++depth > maxDepth) return -1;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return limit;
}

/** The first fenced block whose content starts with `{`: its brace and where the block ends. */
function findFencedObject(text: string, from: number): { open: number; end: number } | undefined {
  let fence = text.indexOf(FENCE, from);
  while (fence !== -1) {
    const lineEnd = text.indexOf("\n", fence + FENCE.length);
    if (lineEnd === -1) return undefined;
    const close = text.indexOf(FENCE, lineEnd);
    const end = close === -1 ? text.length : close;
    const open = skipSpace(text, lineEnd + 1);
    if (open < end && text.charCodeAt(open) === OPEN_BRACE) return { open, end };
    if (close === -1) return undefined;
    fence = text.indexOf(FENCE, close + FENCE.length);
  }
  return undefined;
}

/** Index of the first character from `i` on that is not JSON whitespace (`text.length` if none). */
export function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}
