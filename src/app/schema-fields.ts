/** Property names declared anywhere in a schema (for search). */

/** Schema nodes visited at most: schemas are size-limited on registration, this is a second bound. */
const MAX_NODES = 20_000;

/** Every key of every `properties` object in the schema text, in visit order (bounded). */
export function schemaFieldNames(schemaText: string): string[] {
  let root: unknown;
  try {
    root = JSON.parse(schemaText);
  } catch {
    return [];
  }
  const names = new Set<string>();
  const stack: unknown[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited < MAX_NODES) {
    const node = stack.pop();
    visited += 1;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    const props = record.properties;
    if (props !== null && typeof props === "object" && !Array.isArray(props)) {
      for (const key of Object.keys(props)) names.add(key);
    }
    stack.push(...Object.values(record));
  }
  return [...names];
}
