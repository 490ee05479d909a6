/** Helpers of the import tests: a structreg source with history, and everything a registry holds, for comparison. */
import type { RegistryService } from "../../../src/app/registry-types.js";
import { isStructregError } from "../../../src/core/errors.js";
import type { JsonObject } from "../../../src/core/json.js";

const closed = (properties: JsonObject): JsonObject => ({
  type: "object",
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

/**
 * Fills a structreg registry with what an import must carry: a gap in the ids, an id shared by two subjects,
 * states, soft-deleted versions, a fully soft-deleted subject, global and per-subject settings, a reference
 * to another subject, and a subject whose schemas only its own profile accepts.
 */
export async function seedStructregSource(r: RegistryService): Promise<void> {
  await r.setConfig(null, { compatibility: "FORWARD", policy: "LENIENT" });
  await r.register("scratch", closed({ tmp: { type: "string" } }));
  await r.deleteSubject("scratch");
  await r.deleteSubject("scratch", { permanent: true }); // id 1 is gone: the ids below start at 2
  await r.setConfig("ticket", { compatibility: "NONE" });
  await r.register("ticket", closed({ topic: { type: "string" } }));
  await r.register("ticket", closed({ topic: { type: "string" }, urgent: { type: "boolean" } }));
  await r.register(
    "ticket",
    closed({ topic: { type: "string", enum: ["a", "b"] }, urgent: { type: "boolean" } }),
  );
  await r.setVersionState("ticket", 1, "DEPRECATED");
  await r.setVersionState("ticket", 2, "DISABLED");
  await r.register("money", closed({ amount: { type: "number" }, currency: { type: "string" } }));
  await r.register("invoice", closed({ total: { $ref: "money.json" } }), {
    references: [{ name: "money.json", subject: "money", version: 1 }],
  });
  await r.setConfig("sentiment", { compatibility: "NONE", profile: "json-schema" });
  await r.register("sentiment", closed({ topic: { type: "string" }, urgent: { type: "boolean" } })); // ticket's v2 id
  await r.register("sentiment", { type: "object", properties: { score: { type: "number" } } });
  await r.register("sentiment", {
    type: "object",
    properties: { score: { type: "number" }, why: { type: "string" } },
  });
  await r.deleteVersion("sentiment", 1);
  await r.register("old", closed({ gone: { type: "null" } }));
  await r.deleteSubject("old");
}

/** Everything a registry holds, deleted versions included, in a form to compare. */
export async function describeRegistry(r: RegistryService): Promise<unknown> {
  const subjects: Record<string, unknown> = {};
  for (const subject of (await r.listSubjects({ includeDeleted: true })).sort()) {
    const versions = [];
    for (const n of await r.listVersions(subject, { includeDeleted: true })) {
      const v = await r.getVersion(subject, n, { includeDeleted: true });
      const { version, id, schema, state, deleted, references } = v;
      versions.push({ version, id, schema, state, deleted, references });
    }
    subjects[subject] = { config: await r.getConfig(subject), versions };
  }
  return { global: await r.getConfig(null), subjects };
}

/** The code of a thrown StructregError (undefined when nothing was thrown). */
export async function errorCode(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (err) {
    return isStructregError(err) ? err.code : String(err);
  }
}
