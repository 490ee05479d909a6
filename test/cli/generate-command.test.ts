import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { type GenerationWorld, generationWorld } from "../app/generation-fixtures.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { runCli } from "./run-cli.js";

const TEXT = '{"total": 1234.5, "currency": "EUR"}';

let fake: FakeOpenAI;
let world: GenerationWorld;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  world = await generationWorld(fake);
  app = await buildApp({ registry: world.registry, generation: world.generation, logger: false });
  url = await app.listen({ host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await app.close();
  await world.close();
  await fake.close();
});

describe("structreg generate", () => {
  test("--stream prints partials on stderr as they form and the data on stdout", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, chunk: 4 });
    const run = await runCli(["generate", "invoice", "--input", "Invoice 42", "--stream", "--url", url]);
    expect(run.code).toBe(0);
    const partials = run.stderr.split("\n").filter((l) => l.startsWith("partial: "));
    expect(partials.length).toBeGreaterThan(2);
    expect(partials).toContain('partial: {"total":1234.5}');
    expect(JSON.parse(run.stdout)).toEqual({ total: 1234.5, currency: "EUR" });
  });

  test("--stream --json prints every event as a JSON line, the outcome last", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT } });
    const run = await runCli(["generate", "invoice", "--input", "x", "--stream", "--json", "--url", url]);
    const events = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; data: unknown });
    expect(events.at(-1)).toMatchObject({ event: "outcome", data: { ok: true } });
    expect(events.slice(0, -1).every((e) => e.event === "partial")).toBe(true);
  });

  test("a rejected output exits 1 with the issues, streamed or not", async () => {
    for (const stream of [true, false]) {
      fake.script({ kind: "ok", text: '{"total": "lots", "currency": "EUR"}' });
      const args = ["generate", "invoice", "--input", "x", "--url", url, ...(stream ? ["--stream"] : [])];
      const run = await runCli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("rejected: invalid");
      expect(run.stderr).toContain("quarantined as id");
    }
  });

  test("the input can come on stdin; without any it is a usage error", async () => {
    fake.script({ kind: "ok", text: TEXT });
    const ok = await runCli(["generate", "invoice", "--url", url], { stdin: "Invoice 42" });
    expect(ok.code).toBe(0);
    expect(fake.requests.at(-1)?.body.input).toBe("Invoice 42");
    const none = await runCli(["generate", "invoice", "--url", url], { stdin: "" });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("SR_USAGE");
  });
});
