import { describe, expect, test } from "vitest";
import { createStreamParser } from "../../../src/core/parse/pipeline.js";
import { type ResponseEvent, ResponseEventReader } from "../../../src/core/parse/response-events.js";

const delta = (seq: number, text: string): ResponseEvent => ({
  type: "response.output_text.delta",
  sequence_number: seq,
  delta: text,
});
const completed = (seq: number): ResponseEvent => ({
  type: "response.completed",
  sequence_number: seq,
  response: { object: "response", status: "completed", output: [] },
});
const created: ResponseEvent = { type: "response.created", sequence_number: 0 };

function reader(maxPending?: number) {
  const stream = createStreamParser(true);
  return { stream, reader: new ResponseEventReader(stream, -1, maxPending) };
}

describe("ResponseEventReader", () => {
  test("applies deltas in sequence order and ends with the assembled text as output_text", () => {
    const { stream, reader: r } = reader();
    expect(r.receive(created)).toEqual({ kind: "none" });
    expect(r.receive(delta(1, '{"a": '))).toEqual({ kind: "text" });
    expect(r.receive(delta(2, "1}"))).toEqual({ kind: "text" });
    const end = r.receive(completed(3));
    expect(end).toMatchObject({ kind: "end", response: { status: "completed", output_text: '{"a": 1}' } });
    expect(stream.text).toBe('{"a": 1}');
  });

  test("a duplicated or replayed event never changes the text", () => {
    const { stream, reader: r } = reader();
    for (const e of [created, delta(1, "ab"), delta(1, "ab"), delta(2, "c"), delta(1, "ab"), created])
      r.receive(e);
    expect(stream.text).toBe("abc");
    expect(r.ignored).toBe(3);
  });

  test("an event ahead of a missing one waits until the gap fills, then all apply in order", () => {
    const { stream, reader: r } = reader();
    r.receive(created);
    expect(r.receive(delta(3, "c"))).toEqual({ kind: "none" });
    expect(r.receive(delta(2, "b"))).toEqual({ kind: "none" });
    expect(r.pending).toBe(2);
    expect(r.receive(delta(1, "a"))).toEqual({ kind: "text" });
    expect(stream.text).toBe("abc");
    expect(r.pending).toBe(0);
    expect(r.lastApplied).toBe(3);
  });

  test("a terminal event that waited for a gap ends the stream once the gap fills", () => {
    const { reader: r } = reader();
    r.receive(created);
    r.receive(completed(2));
    expect(r.done).toBe(false);
    expect(r.receive(delta(1, "{}"))).toMatchObject({ kind: "end", response: { output_text: "{}" } });
    expect(r.done).toBe(true);
  });

  test("past the bound of waiting events the stream fails instead of growing", () => {
    const { reader: r } = reader(3);
    r.receive(created);
    for (let seq = 5; seq < 8; seq++) r.receive(delta(seq, "x"));
    const step = r.receive(delta(9, "x"));
    expect(step).toMatchObject({
      kind: "end",
      response: { status: "failed", error: { code: "stream_out_of_order" } },
    });
    expect(r.pending).toBe(0);
  });

  test("events after the end are ignored", () => {
    const { stream, reader: r } = reader();
    r.receive(created);
    r.receive(completed(1));
    expect(r.receive(delta(2, "late"))).toEqual({ kind: "none" });
    expect(stream.text).toBe("");
  });

  test("an error event ends the stream as a failed response carrying its code", () => {
    const { reader: r } = reader();
    r.receive(created);
    const step = r.receive({ type: "error", sequence_number: 1, code: "server_error", message: "boom" });
    expect(step).toMatchObject({
      kind: "end",
      response: { status: "failed", error: { code: "server_error" } },
    });
  });

  test("refusal deltas are kept apart from the output text", () => {
    const { stream, reader: r } = reader();
    r.receive(created);
    r.receive({ type: "response.refusal.delta", sequence_number: 1, delta: "I can't" });
    r.receive({ type: "response.refusal.delta", sequence_number: 2, delta: " help." });
    expect(r.refusalText).toBe("I can't help.");
    expect(stream.text).toBe("");
  });

  test("events without a sequence number apply in arrival order", () => {
    const { stream, reader: r } = reader();
    r.receive({ type: "response.output_text.delta", delta: "a" });
    r.receive({ type: "response.output_text.delta", delta: "b" });
    expect(stream.text).toBe("ab");
  });

  test("a resumed stream starts after the given sequence number", () => {
    const stream = createStreamParser(true);
    const r = new ResponseEventReader(stream, 4);
    expect(r.receive(delta(3, "old"))).toEqual({ kind: "none" });
    expect(r.receive(delta(5, "new"))).toEqual({ kind: "text" });
    expect(stream.text).toBe("new");
  });
});
