import { StructregError } from "../core/errors.js";
import type { JsonSchema } from "../core/json.js";
import type { CliIO } from "./io.js";

/**
 * Reads a schema argument: `-` for stdin (JSON), a `.json` file, or `module.ts#Export` (a Zod schema),
 * the last two through the shared schema-source loader so the CLI and the server agree on every format.
 */
export async function readSchemaArg(spec: string, io: CliIO): Promise<JsonSchema> {
  if (spec !== "-") {
    // Loaded on demand: it brings in zod and a TypeScript loader, which server-only commands never need.
    const { loadSchemaSource } = await import("../app/schema-source.js");
    return loadSchemaSource(spec, { cwd: io.cwd });
  }
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of io.stdin)
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  try {
    return JSON.parse(text) as JsonSchema;
  } catch (err) {
    throw new StructregError("SR_SCHEMA_SOURCE", `stdin is not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
