import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTempDir, type TempDir } from "../helpers/databases.js";
import { type OwnPostgres, ownPostgresAvailable, startOwnPostgres } from "../helpers/own-postgres.js";
import { type ServeProcess, startServe } from "../helpers/serve-process.js";

/**
 * PostgreSQL stopped and started again under traffic, against two real server processes on a cluster this test
 * owns: readiness goes false, writes answer a typed 503 (never a 500, never a hang), validation of a cached
 * subject keeps answering, and everything (pool, LISTEN connection) recovers by itself.
 */

const CT = { "content-type": "application/json" };
/** A request still unanswered after this long counts as a hang (far above the server's 2–5 s database timeouts). */
const HANG_MS = 20_000;
const ENV = {
  STRUCTREG_DB_CONNECT_TIMEOUT_MS: "2000",
  STRUCTREG_DB_STATEMENT_TIMEOUT_MS: "3000",
  // Polling is the LISTEN fallback: at its slowest, a change seen within 2 s can only have come by LISTEN.
  STRUCTREG_ROLLOUT_POLL_MS: "60000",
  // Short, so the cached version list expires during the outage and must be served stale.
  STRUCTREG_VERSION_CACHE_TTL_MS: "200",
};

interface Answer {
  status: number;
  code?: string;
  body: Record<string, unknown>;
}

/** One request; a hang or a lost connection is reported as status 0 with the reason as code. */
async function call(url: string, method: string, body?: unknown): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method,
      headers: CT,
      signal: AbortSignal.timeout(HANG_MS),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return {
      status: res.status,
      body: parsed,
      ...(typeof parsed.code === "string" ? { code: parsed.code } : {}),
    };
  } catch (err) {
    return { status: 0, code: (err as Error).name, body: {} };
  }
}

function schema(props: Record<string, unknown>): string {
  return JSON.stringify({
    type: "object",
    properties: props,
    required: Object.keys(props),
    additionalProperties: false,
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!ownPostgresAvailable())("PostgreSQL stopped and started again under traffic", () => {
  let cluster: OwnPostgres;
  let dir: TempDir;
  let a: ServeProcess;
  let b: ServeProcess;

  beforeAll(async () => {
    cluster = await startOwnPostgres();
    dir = await createTempDir("structreg-pg-restart-");
    a = await startServe({ ...ENV, DATABASE_URL: cluster.url }, dir.path);
    b = await startServe({ ...ENV, DATABASE_URL: cluster.url }, dir.path);
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await cluster?.destroy();
    await dir?.remove();
  }, 60_000);

  test("503 while it is away, no 500 or hang, validation answers throughout, and all recovers", async () => {
    for (const subject of ["reg", "ramp"]) {
      expect((await call(`${a.url}/config/${subject}`, "PUT", { compatibility: "NONE" })).status).toBe(200);
    }
    const idOnly = schema({ id: { type: "string" } });
    for (const [subject, s] of [
      ["cached", idOnly],
      ["ramp", idOnly],
      ["ramp", schema({ id: { type: "string" }, note: { type: ["string", "null"] } })],
    ] as const) {
      expect((await call(`${a.url}/subjects/${subject}/versions`, "POST", { schema: s })).status).toBe(200);
    }
    const validate = () =>
      call(`${a.url}/subjects/cached/validate`, "POST", { output: '{"id":"x"}', key: "k" });
    expect((await validate()).status).toBe(200);

    const answers = { validate: [] as Answer[], register: [] as Answer[], rollout: [] as Answer[] };
    const ready: number[] = [];
    const acked: Array<{ n: number; version: number }> = [];
    let running = true;
    let n = 0;
    const loop = async (step: () => Promise<void>) => {
      while (running) await step();
    };
    const workers = [
      loop(async () => {
        answers.validate.push(await validate());
      }),
      loop(async () => {
        const i = n++;
        const answer = await call(`${a.url}/subjects/reg/versions`, "POST", {
          schema: schema({ id: { type: "string" }, [`f${i}`]: { type: "string" } }),
        });
        answers.register.push(answer);
        if (answer.status === 200) acked.push({ n: i, version: answer.body.version as number });
      }),
      loop(async () => {
        const percent = (answers.rollout.length * 7) % 100;
        answers.rollout.push(await call(`${a.url}/subjects/ramp/rollout`, "PUT", { candidate: 2, percent }));
      }),
      loop(async () => {
        ready.push((await call(`${a.url}/readyz`, "GET")).status);
        await new Promise((r) => setTimeout(r, 100));
      }),
    ];
    const writes = () => [...answers.register, ...answers.rollout];
    try {
      await until("writes succeed before the stop", async () => acked.length >= 3, 30_000);
      await cluster.stop("fast");
      await until("readiness reports the database away", async () => ready.includes(503), 30_000);
      await until("a write answers 503", async () => writes().some((w) => w.status === 503), 30_000);
      const afterOutage = { register: answers.register.length, validate: answers.validate.length };
      await until(
        "validation keeps answering while it is away",
        async () => {
          return answers.validate.length > afterOutage.validate + 20;
        },
        30_000,
      );
      await cluster.start();
      await until("readiness recovers", async () => ready.at(-1) === 200, 30_000);
      await until(
        "registrations succeed again",
        async () => answers.register.slice(afterOutage.register).some((w) => w.status === 200),
        30_000,
      );
    } finally {
      running = false;
      await Promise.all(workers);
    }

    if (process.env.STRUCTREG_TEST_VERBOSE) {
      const tally = (list: Answer[]) => {
        const counts: Record<string, number> = {};
        for (const x of list)
          counts[`${x.status} ${x.code ?? ""}`] = (counts[`${x.status} ${x.code ?? ""}`] ?? 0) + 1;
        return counts;
      };
      const summary = {
        ready,
        acked: acked.length,
        validate: tally(answers.validate),
        register: tally(answers.register),
        rollout: tally(answers.rollout),
      };
      console.log(JSON.stringify(summary));
    }
    // Never a 500, never a hang: every write either worked or said the store is unavailable.
    for (const w of writes()) {
      expect([200, 503]).toContain(w.status);
      if (w.status === 503) expect(w.code).toBe("SR_STORE_UNAVAILABLE");
    }
    expect(answers.validate.filter((v) => v.status !== 200)).toEqual([]);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();

    // Every acknowledged registration is there, versions contiguous.
    const versions = (await call(`${a.url}/subjects/reg/versions`, "GET")).body as unknown as number[];
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const ack of acked) expect(versions).toContain(ack.version);

    // A's LISTEN connection is back: a change made through B reaches it (the first may wait for A's
    // reconnection backoff; the second can only arrive by LISTEN within 2 s, polling being once a minute).
    const served = async () =>
      (await call(`${a.url}/subjects/ramp/validate`, "POST", { output: '{"id":"x","note":null}', key: "k1" }))
        .body.targetVersion;
    expect((await call(`${b.url}/subjects/ramp/rollout`, "PUT", { candidate: 2, percent: 100 })).status).toBe(
      200,
    );
    await until("A serves B's first change", async () => (await served()) === 2, 20_000);
    expect((await call(`${b.url}/subjects/ramp/rollout`, "PUT", { percent: 0 })).status).toBe(200);
    await until("A serves B's second change by LISTEN", async () => (await served()) === 1, 2000);
  }, 240_000);
});
