import { describe, expect, test } from "vitest";
import { createTempDatabase, createTempDir, postgresAvailable } from "../helpers/databases.js";
import { type ServeProcess, startServe } from "../helpers/serve-process.js";

const CT = { "content-type": "application/vnd.schemaregistry.v1+json" };

function schemaNumber(n: number): string {
  return JSON.stringify({
    type: "object",
    properties: { id: { type: "string" }, [`note_${n}`]: { type: "string", default: "" } },
    required: ["id", `note_${n}`],
    additionalProperties: false,
  });
}

/**
 * Bursts registrations at a real server process over HTTP, SIGKILLs it mid-burst, restarts it on the same
 * store and checks that every acknowledged (HTTP 200) registration is still there, with contiguous versions.
 */
async function killDuringBurst(env: Record<string, string>, dataDir: string): Promise<void> {
  const server = await startServe(env, dataDir);
  await fetch(`${server.url}/config/burst`, {
    method: "PUT",
    headers: CT,
    body: JSON.stringify({ compatibility: "NONE" }),
  });
  const acked: Array<{ n: number; id: number; version: number }> = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (!killed) {
      const n = next++;
      try {
        const res = await fetch(`${server.url}/subjects/burst/versions`, {
          method: "POST",
          headers: CT,
          body: JSON.stringify({ schema: schemaNumber(n) }),
        });
        if (res.status === 200) {
          const body = (await res.json()) as { id: number; version: number };
          acked.push({ n, id: body.id, version: body.version });
          if (acked.length >= 25 && !killed) {
            killed = true;
            server.child.kill("SIGKILL");
          }
        }
      } catch {
        return; // connection reset by the kill
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  expect(await server.exited).toBe("SIGKILL");

  const again = await startServe(env, dataDir);
  try {
    const versions = (await (await fetch(`${again.url}/subjects/burst/versions`)).json()) as number[];
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const ack of acked) {
      const res = await fetch(`${again.url}/subjects/burst/versions/${ack.version}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: number; schema: string };
      expect(body.id).toBe(ack.id);
      expect(JSON.parse(body.schema)).toEqual(JSON.parse(schemaNumber(ack.n)));
    }
  } finally {
    await again.stop();
  }
}

/** Bad outputs are answered 422 with a quarantine id; the server is SIGKILLed right after an answer. */
async function killAfterQuarantine(env: Record<string, string>, dataDir: string): Promise<void> {
  const server = await startServe(env, dataDir);
  const register = await fetch(`${server.url}/subjects/q/versions`, {
    method: "POST",
    headers: CT,
    body: JSON.stringify({ schema: schemaNumber(0) }),
  });
  expect(register.status).toBe(200);
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${server.url}/subjects/q/validate`, {
      method: "POST",
      headers: CT,
      body: JSON.stringify({ output: `{"note_0": "sample ${i}"}` }),
    });
    expect(res.status).toBe(422);
    ids.push(((await res.json()) as { quarantineId: number }).quarantineId);
  }
  server.child.kill("SIGKILL");
  expect(await server.exited).toBe("SIGKILL");
  const again = await startServe(env, dataDir);
  try {
    for (const id of ids) {
      const res = await fetch(`${again.url}/quarantine/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { subject: string }).subject).toBe("q");
    }
  } finally {
    await again.stop();
  }
}

interface Acks {
  versions: Array<{ n: number; id: number; version: number }>;
  quarantined: number[];
  rollouts: Array<{ revision: number; percent: number }>;
}

/** POST/PUT with JSON; undefined when the connection died (the kill). */
async function send(
  url: string,
  method: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, number | undefined> } | undefined> {
  try {
    const res = await fetch(url, { method, headers: CT, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, number | undefined> };
  } catch {
    return undefined;
  }
}

/** Registrations, failing validates (quarantine writes) and rollout changes at once, until the kill. */
async function mixedBurst(server: ServeProcess): Promise<Acks> {
  const acks: Acks = { versions: [], quarantined: [], rollouts: [] };
  let killed = false;
  let n = 0;
  let p = 0;
  const killWhenAllAcked = () => {
    const enough = acks.versions.length >= 8 && acks.quarantined.length >= 8 && acks.rollouts.length >= 8;
    if (enough && !killed) {
      killed = true;
      server.child.kill("SIGKILL");
    }
  };
  const kinds: Array<() => Promise<boolean>> = [
    async () => {
      const i = ++n;
      const res = await send(`${server.url}/subjects/burst/versions`, "POST", { schema: schemaNumber(i) });
      if (res?.status === 200)
        acks.versions.push({ n: i, id: Number(res.json.id), version: Number(res.json.version) });
      return res !== undefined;
    },
    async () => {
      const res = await send(`${server.url}/subjects/q/validate`, "POST", {
        output: `{"note_0": "bad ${n}"}`,
      });
      if (res?.status === 422) acks.quarantined.push(Number(res.json.quarantineId));
      return res !== undefined;
    },
    async () => {
      const percent = (++p * 7) % 100;
      const res = await send(`${server.url}/subjects/ramp/rollout`, "PUT", { candidate: 2, percent });
      if (res?.status === 200)
        acks.rollouts.push({ revision: Number(res.json.revision), percent: Number(res.json.percent) });
      return res !== undefined;
    },
  ];
  await Promise.all(
    [...kinds, ...kinds].map(async (step) => {
      while (!killed && (await step())) killWhenAllAcked();
    }),
  );
  return acks;
}

/** After the restart: every acknowledged write of each kind is there. */
async function expectAllAcked(url: string, acks: Acks): Promise<void> {
  const versions = (await (await fetch(`${url}/subjects/burst/versions`)).json()) as number[];
  expect(versions).toEqual(versions.map((_, i) => i + 1));
  for (const ack of acks.versions) {
    const body = (await (await fetch(`${url}/subjects/burst/versions/${ack.version}`)).json()) as {
      id: number;
      schema: string;
    };
    expect(body.id).toBe(ack.id);
    expect(JSON.parse(body.schema)).toEqual(JSON.parse(schemaNumber(ack.n)));
  }
  for (const id of acks.quarantined) {
    const res = await fetch(`${url}/quarantine/${id}`);
    expect(res.status).toBe(200);
  }
  const history = (await (await fetch(`${url}/subjects/ramp/rollout/history?limit=1000`)).json()) as Array<{
    revision: number;
    to: { percent: number };
  }>;
  const byRevision = new Map(history.map((e) => [e.revision, e.to.percent]));
  for (const ack of acks.rollouts) expect(byRevision.get(ack.revision)).toBe(ack.percent);
  const state = (await (await fetch(`${url}/subjects/ramp/rollout`)).json()) as { revision: number };
  expect(state.revision).toBe(Math.max(...history.map((e) => e.revision)));
}

/** A server SIGKILLed mid-burst of all three kinds of write; restarted on the same store. */
async function killDuringMixedBurst(env: Record<string, string>, dataDir: string): Promise<void> {
  const server = await startServe(env, dataDir);
  for (const subject of ["burst", "ramp"]) {
    expect((await send(`${server.url}/config/${subject}`, "PUT", { compatibility: "NONE" }))?.status).toBe(
      200,
    );
  }
  for (const [subject, n] of [
    ["q", 0],
    ["ramp", 1],
    ["ramp", 2],
  ] as const) {
    expect(
      (await send(`${server.url}/subjects/${subject}/versions`, "POST", { schema: schemaNumber(n) }))?.status,
    ).toBe(200);
  }
  const acks = await mixedBurst(server);
  expect(await server.exited).toBe("SIGKILL");
  const again = await startServe(env, dataDir);
  try {
    await expectAllAcked(again.url, acks);
  } finally {
    await again.stop();
  }
}

describe("server killed with SIGKILL mid-burst of registrations, quarantine writes and rollout changes", () => {
  test("loses no acknowledged write of any kind (PGlite data folder)", async () => {
    const dir = await createTempDir("structreg-sigkill-mixed-");
    try {
      await killDuringMixedBurst({}, dir.path);
    } finally {
      await dir.remove();
    }
  }, 180_000);

  test.skipIf(!postgresAvailable())(
    "loses no acknowledged write of any kind (PostgreSQL)",
    async () => {
      const db = await createTempDatabase();
      const dir = await createTempDir("structreg-sigkill-mixed-");
      try {
        await killDuringMixedBurst({ DATABASE_URL: db.url }, dir.path);
      } finally {
        await db.drop();
        await dir.remove();
      }
    },
    180_000,
  );
});

describe("server killed with SIGKILL right after answering a bad output", () => {
  test("keeps every quarantined sample it answered with (PGlite data folder)", async () => {
    const dir = await createTempDir("structreg-sigkill-q-");
    try {
      await killAfterQuarantine({}, dir.path);
    } finally {
      await dir.remove();
    }
  }, 120_000);
});

describe("server killed with SIGKILL during a burst of registrations", () => {
  test("loses no acknowledged version (PGlite data folder)", async () => {
    const dir = await createTempDir("structreg-sigkill-");
    try {
      await killDuringBurst({}, dir.path);
    } finally {
      await dir.remove();
    }
  }, 120_000);

  test.skipIf(!postgresAvailable())(
    "loses no acknowledged version (PostgreSQL)",
    async () => {
      const db = await createTempDatabase();
      const dir = await createTempDir("structreg-sigkill-");
      try {
        await killDuringBurst({ DATABASE_URL: db.url }, dir.path);
      } finally {
        await db.drop();
        await dir.remove();
      }
    },
    120_000,
  );
});
