import type { SoakHttp } from "./http.js";
import type { ServerProcess } from "./servers.js";

/** Subjects every instance registers into at once (compatibility NONE: every new schema is a new version). */
export const REGISTER_SUBJECTS = ["soak-reg-0", "soak-reg-1", "soak-reg-2"];
/** The subject whose rollout is ramped and rolled back, and that validate load goes to. */
export const ROLLOUT_SUBJECT = "soak-rollout";
/** The context key whose decision every instance must agree on after each rollout change. */
export const FIXED_KEY = "soak-fixed-key";

/** An acknowledged (HTTP 200) registration: what must be in the store at the end. */
export interface Ack {
  subject: string;
  n: number;
  id: number;
  version: number;
}

/** The n-th registered schema: distinct for every n, valid under the openai-strict profile. */
export function schemaNumber(n: number): Record<string, unknown> {
  return {
    type: "object",
    properties: { id: { type: "string" }, [`note_${n}`]: { type: "string", default: "" } },
    required: ["id", `note_${n}`],
    additionalProperties: false,
  };
}

/** v1 and v2 of the rollout subject (v2 adds a nullable field with a default: backward compatible). */
export const ROLLOUT_SCHEMAS = [
  {
    type: "object",
    properties: { id: { type: "string" } },
    required: ["id"],
    additionalProperties: false,
  },
  {
    type: "object",
    properties: { id: { type: "string" }, note: { type: ["string", "null"], default: null } },
    required: ["id", "note"],
    additionalProperties: false,
  },
];

/** A model output valid under v2 and repairable under v1 (validate answers 200 on either). */
export const VALID_OUTPUT = JSON.stringify({ id: "soak", note: null });

/** Subjects, compatibility levels and the rollout subject's two versions, all through the first instance. */
export async function prepareSubjects(http: SoakHttp, server: ServerProcess): Promise<void> {
  for (const subject of REGISTER_SUBJECTS) {
    const res = await http.call("setup", "PUT", `${server.url}/config/${subject}`, { compatibility: "NONE" });
    if (res.status !== 200)
      throw new Error(`PUT /config/${subject}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  for (const schema of ROLLOUT_SCHEMAS) {
    const res = await http.call("setup", "POST", `${server.url}/subjects/${ROLLOUT_SUBJECT}/versions`, {
      schema: JSON.stringify(schema),
    });
    if (res.status !== 200)
      throw new Error(`register ${ROLLOUT_SUBJECT}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** One registration in this many repeats an earlier schema (see registerUntil). */
const REPEAT_EVERY = 5;

/** Registers distinct schemas into the shared subjects through every instance in turn until `isDone`. */
export async function registerUntil(
  http: SoakHttp,
  servers: readonly ServerProcess[],
  counter: { next: number },
  acks: Ack[],
  isDone: () => boolean,
): Promise<void> {
  while (!isDone()) {
    const at = counter.next++;
    const subject = REGISTER_SUBJECTS[at % REGISTER_SUBJECTS.length] as string;
    // One in REPEAT_EVERY registrations repeats a recent schema of the same subject through another instance,
    // often while the first is still in flight: idempotent, it must get the same version back.
    const n = at % REPEAT_EVERY === REPEAT_EVERY - 1 ? at - REGISTER_SUBJECTS.length : at;
    // Subject and instance rotate at different rates, so every instance writes to every subject.
    const server = servers[Math.floor(at / REGISTER_SUBJECTS.length) % servers.length] as ServerProcess;
    const res = await http.call("register", "POST", `${server.url}/subjects/${subject}/versions`, {
      schema: JSON.stringify(schemaNumber(n)),
    });
    if (res.status === 200) {
      const body = res.body as { id: number; version: number };
      acks.push({ subject, n, id: body.id, version: body.version });
    }
  }
}

/** An output no version accepts (a string where an object is required): answered 422 and quarantined. */
export const BAD_OUTPUT = JSON.stringify("not an object");
/** One validation in this many sends BAD_OUTPUT, so quarantine writes run on every instance too. */
const BAD_EVERY = 10;

/** Validates outputs for random context keys through every instance in turn until `isDone`. */
export async function validateUntil(
  http: SoakHttp,
  servers: readonly ServerProcess[],
  worker: number,
  isDone: () => boolean,
): Promise<void> {
  for (let i = worker; !isDone(); i++) {
    const server = servers[i % servers.length] as ServerProcess;
    await http.call("validate", "POST", `${server.url}/subjects/${ROLLOUT_SUBJECT}/validate`, {
      output: i % BAD_EVERY === 0 ? BAD_OUTPUT : VALID_OUTPUT,
      key: `user-${Math.floor(Math.random() * 5000)}`,
    });
  }
}
