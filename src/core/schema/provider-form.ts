import { isJsonObject, type JsonSchema, type JsonValue, setOwn } from "../json.js";
import { type SlotKind, slotKindOf } from "./keywords.js";

/** A value still to copy, and where its copy goes. */
interface CopyTask {
  value: JsonValue;
  kind: SlotKind;
  target: Record<string, unknown> | unknown[];
  key: string | number;
}

/**
 * The schema as sent to the provider: `x-…` annotations and the `default` keyword are removed wherever
 * they are keywords of a schema object (OpenAI rejects `default`; annotations are structreg's own).
 * Property names such as "default" or "x-foo" under `properties` stay. Pure: returns a deep copy and
 * never mutates the input. Iterative, so deep input cannot overflow the stack.
 */
export function toProviderSchema(schema: JsonSchema): JsonSchema {
  const holder: Record<string, unknown> = {};
  const stack: CopyTask[] = [{ value: schema, kind: "schema", target: holder, key: "root" }];
  while (stack.length > 0) {
    const task = stack.pop() as CopyTask;
    place(task, copyShell(task, stack));
  }
  return holder.root as JsonSchema;
}

/** True for keys a schema object loses in its provider form. */
export function isProviderStrippedKeyword(key: string): boolean {
  return key === "default" || key.startsWith("x-");
}

function place(task: CopyTask, copy: unknown): void {
  if (Array.isArray(task.target)) task.target[task.key as number] = copy;
  else setOwn(task.target, task.key as string, copy);
}

/** Copies one level of `task.value` and queues its children with the kind each one has. */
function copyShell(task: CopyTask, stack: CopyTask[]): unknown {
  const { value, kind } = task;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    const childKind: SlotKind = kind === "schema-array" ? "schema" : "data";
    value.forEach((v, i) => {
      stack.push({ value: v, kind: childKind, target: out, key: i });
    });
    return out;
  }
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (kind === "schema" && isProviderStrippedKeyword(key)) continue;
    // Reserve the key now: children are copied in stack order, and key order must stay the schema's order
    // (OpenAI produces keys in schema order).
    setOwn(out, key, null);
    stack.push({ value: child, kind: childKindOf(kind, key, child), target: out, key });
  }
  return out;
}

function childKindOf(kind: SlotKind, key: string, child: JsonValue): SlotKind {
  if (kind === "schema") return slotKindOf(key, child);
  if (kind === "schema-map") return "schema";
  return "data";
}
