/**
 * The raw text of a quarantined output: capped at a byte budget, with the full size and sha256 kept.
 * Objects (parsed values, Responses API objects) are stored as their JSON text; values nested too deeply
 * for `JSON.stringify` (it recurses and overflows at ~10k levels) are written by an iterative writer.
 */
import { createHash, type Hash } from "node:crypto";
import { isJsonObject } from "../../core/json.js";

/** What the quarantine keeps of a raw output. */
export interface RawSample {
  /** The text, cut at `maxBytes` UTF-8 bytes on a character boundary, lone surrogates replaced. */
  raw: string;
  /** UTF-8 bytes of the full text. */
  rawBytes: number;
  /** sha256 hex of the full text (UTF-8). */
  rawSha256: string;
  truncated: boolean;
}

/** Builds the stored sample of an output (text as is; anything else as JSON text). */
export function rawSampleOf(output: unknown, maxBytes: number): RawSample {
  if (typeof output === "string") return sampleOfText(output, maxBytes);
  let text: string | undefined;
  try {
    text = JSON.stringify(output) ?? "null";
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  return text === undefined ? sampleOfDeepValue(output, maxBytes) : sampleOfText(text, maxBytes);
}

function sampleOfText(text: string, maxBytes: number): RawSample {
  const rawBytes = Buffer.byteLength(text, "utf8");
  const rawSha256 = createHash("sha256").update(text, "utf8").digest("hex");
  const truncated = rawBytes > maxBytes;
  const raw = truncated ? cutAtBytes(text, maxBytes) : text;
  return { raw: wellFormed(raw), rawBytes, rawSha256, truncated };
}

/** Node 20 has String.prototype.toWellFormed; TypeScript's ES2023 lib does not declare it yet. */
type WellFormable = { toWellFormed(): string };

/** Replaces lone UTF-16 surrogates with U+FFFD (stores encode text as UTF-8, where they cannot exist). */
function wellFormed(text: string): string {
  return (text as unknown as WellFormable).toWellFormed();
}

/** The longest prefix of `text` that fits `maxBytes` of UTF-8 without splitting a character. */
export function cutAtBytes(text: string, maxBytes: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

/** Streams the JSON text of a deep value through the hash, keeping only the first `maxBytes`. */
function sampleOfDeepValue(value: unknown, maxBytes: number): RawSample {
  const hash = createHash("sha256");
  const sink = new PrefixSink(hash, maxBytes);
  writeJsonIteratively(value, (chunk) => sink.write(chunk));
  return {
    raw: wellFormed(sink.prefix()),
    rawBytes: sink.bytes,
    rawSha256: hash.digest("hex"),
    truncated: sink.bytes > maxBytes,
  };
}

class PrefixSink {
  bytes = 0;
  private readonly kept: string[] = [];
  private keptBytes = 0;

  constructor(
    private readonly hash: Hash,
    private readonly maxBytes: number,
  ) {}

  write(chunk: string): void {
    this.hash.update(chunk, "utf8");
    const size = Buffer.byteLength(chunk, "utf8");
    this.bytes += size;
    if (this.keptBytes >= this.maxBytes) return;
    const room = this.maxBytes - this.keptBytes;
    const part = size <= room ? chunk : cutAtBytes(chunk, room);
    this.kept.push(part);
    this.keptBytes += size <= room ? size : room;
  }

  prefix(): string {
    return this.kept.join("");
  }
}

type Frame =
  | { kind: "array"; items: unknown[]; next: number }
  | { kind: "object"; obj: object; keys: string[]; next: number };

/** JSON.stringify's output for plain JSON data, with an explicit stack instead of recursion. */
export function writeJsonIteratively(value: unknown, emit: (chunk: string) => void): void {
  const stack: Frame[] = [];
  let pending: unknown = value;
  let hasPending = true;
  for (;;) {
    if (hasPending) {
      hasPending = false;
      const frame = open(pending, emit);
      if (frame !== undefined) stack.push(frame);
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return;
    if (top.next === (top.kind === "array" ? top.items.length : top.keys.length)) {
      emit(top.kind === "array" ? "]" : "}");
      stack.pop();
      continue;
    }
    if (top.next > 0) emit(",");
    if (top.kind === "array") {
      pending = top.items[top.next++] ?? null;
    } else {
      const key = top.keys[top.next++] as string;
      emit(`${JSON.stringify(key)}:`);
      pending = (top.obj as Record<string, unknown>)[key];
    }
    hasPending = true;
  }
}

/** Writes a scalar, or the opening bracket of a container and returns its frame. */
function open(value: unknown, emit: (chunk: string) => void): Frame | undefined {
  if (Array.isArray(value)) {
    emit("[");
    return { kind: "array", items: value, next: 0 };
  }
  if (isJsonObject(value)) {
    emit("{");
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    return { kind: "object", obj: value, keys, next: 0 };
  }
  emit(JSON.stringify(value) ?? "null");
  return undefined;
}
