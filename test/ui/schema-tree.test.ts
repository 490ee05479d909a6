import { describe, expect, test } from "vitest";
import { createRenderer } from "../../src/ui/render.js";
import { MAX_TREE_NODES, schemaTree } from "../../src/ui/schema-tree.js";

describe("schema tree", () => {
  test("sums up each schema object and opens the first two levels only", () => {
    const tree = schemaTree({
      type: "object",
      properties: { total: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
      required: ["total"],
    });
    expect(tree.summary).toBe("object · 2 properties · required: total");
    expect(tree.open).toBe(true);
    const properties = tree.children?.find((c) => c.label === "properties");
    expect(properties?.open).toBe(true);
    const tags = properties?.children?.find((c) => c.label === "tags");
    expect(tags).toMatchObject({ summary: "array", open: false });
    expect(tags?.children?.find((c) => c.label === "type")).toMatchObject({ value: '"array"' });
  });

  test("stops at MAX_TREE_NODES with a node saying how many are not shown", () => {
    const properties = Object.fromEntries(
      Array.from({ length: MAX_TREE_NODES + 50 }, (_, i) => [`p${i}`, 1]),
    );
    const tree = schemaTree({ properties });
    const shown = tree.children?.[0]?.children ?? [];
    expect(shown.length).toBeLessThanOrEqual(MAX_TREE_NODES);
    expect(shown.at(-1)).toMatchObject({ label: "…", value: expect.stringMatching(/^\d+ more not shown$/) });
  });

  test("prints keys and values as text, never as markup", () => {
    const renderer = createRenderer({} as never);
    const html = renderer.render("schema-node", {
      node: schemaTree({ properties: { "<img src=x>": { description: "<script>alert(1)</script>" } } }),
    });
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;img src=x&gt;");
    expect(html).toContain("<details open>");
  });
});
