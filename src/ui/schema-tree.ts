/**
 * A schema as a collapsible tree (nested <details>/<summary>: opens and closes with no script and with the
 * keyboard). Built here, printed by views/schema-node.eta with escaping on.
 */

/** One node: an object or array (with children) or a scalar (with its JSON text). */
export interface TreeNode {
  label: string;
  /** For a container: what it holds at a glance ("object · 3 properties · required: a, b"). */
  summary: string;
  children?: TreeNode[];
  /** For a scalar: its JSON text. */
  value?: string;
  open: boolean;
}

/** Nodes built at most; the rest of a too-big schema is summed up in one "…" node per container. */
export const MAX_TREE_NODES = 5_000;
/** Containers open on first view, counted from the root. */
const OPEN_LEVELS = 2;

/** Builds the tree of a parsed schema. */
export function schemaTree(schema: unknown): TreeNode {
  const budget = { left: MAX_TREE_NODES };
  return node("schema", schema, 0, budget);
}

function node(label: string, value: unknown, depth: number, budget: { left: number }): TreeNode {
  budget.left -= 1;
  const entries = childrenOf(value);
  if (entries === undefined)
    return { label, summary: "", value: JSON.stringify(value) ?? "null", open: false };
  const children: TreeNode[] = [];
  for (const [key, child] of entries) {
    if (budget.left <= 0) {
      children.push({
        label: "…",
        summary: "",
        value: `${entries.length - children.length} more not shown`,
        open: false,
      });
      break;
    }
    children.push(node(key, child, depth + 1, budget));
  }
  return { label, summary: summaryOf(value, entries.length), children, open: depth < OPEN_LEVELS };
}

function childrenOf(value: unknown): Array<[string, unknown]> | undefined {
  if (Array.isArray(value)) return value.map((v, i) => [String(i), v]);
  if (value !== null && typeof value === "object") return Object.entries(value);
  return undefined;
}

/** "array · 2 items", or for a schema object its type, property count and required names. */
function summaryOf(value: unknown, size: number): string {
  if (Array.isArray(value)) return `array · ${size} item${size === 1 ? "" : "s"}`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  const type = record.type;
  if (typeof type === "string" || Array.isArray(type)) parts.push(([] as unknown[]).concat(type).join(" | "));
  const properties = record.properties;
  if (properties !== null && typeof properties === "object" && !Array.isArray(properties)) {
    const count = Object.keys(properties).length;
    parts.push(`${count} propert${count === 1 ? "y" : "ies"}`);
  }
  if (Array.isArray(record.required) && record.required.length > 0) {
    parts.push(
      `required: ${record.required.slice(0, 10).join(", ")}${record.required.length > 10 ? ", …" : ""}`,
    );
  }
  if (Array.isArray(record.enum)) parts.push(`enum of ${record.enum.length}`);
  return parts.length > 0 ? parts.join(" · ") : `${size} key${size === 1 ? "" : "s"}`;
}
