/**
 * The complete paths of a partial value, found on request. The scanner builds the value in reading order,
 * so everything in it is complete except the containers still open (its stack), the string still being
 * written (the top container's current member) and the containers that closed with something held back:
 * no path is recorded while reading, and a caller that never asks pays nothing.
 */
import { pointerJoin } from "./repairs.js";
import type { PartialScanner } from "./stream-scanner.js";

/** JSON Pointers of the complete values, in the order they completed (children before their container). */
export function completePaths(scanner: PartialScanner): string[] {
  const out: string[] = [];
  if (scanner.root !== undefined) collect(scanner, scanner.root, "", 0, out);
  return out;
}

// Recursive: the partial value nests no deeper than the scanner's depth limit.
function collect(scanner: PartialScanner, value: unknown, path: string, depth: number, out: string[]): void {
  if (typeof value !== "object" || value === null) {
    out.push(path);
    return;
  }
  const frame = scanner.stack[depth];
  const open = frame !== undefined && frame.container === value;
  // The string being written is the top container's current member: skip it.
  const pending = open && depth === scanner.stack.length - 1 && scanner.pendingString();
  if (Array.isArray(value)) {
    const skip = pending ? frame.index : -1;
    for (let i = 0; i < value.length; i++) {
      if (i !== skip) collect(scanner, value[i], pointerJoin(path, i), depth + 1, out);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(pending && key === frame.key))
        collect(scanner, record[key], pointerJoin(path, key), depth + 1, out);
    }
  }
  if (!open && !scanner.unclean.has(value)) out.push(path);
}
