/**
 * Splits a byte stream into lines exactly as `readline` (with `crlfDelay: Infinity`) does, a whole chunk
 * at a time. PERFORMANCE: readline runs a regular expression over every chunk and hands each line to an
 * async iterator through an event, which costs more than validating a short line; here a chunk becomes
 * an array of lines with two `indexOf` scans, and the caller handles the array without an await per line.
 *
 * What must match readline, byte for byte:
 * - a line ends at `\r\n`, `\n` or a lone `\r` (also a `\r` ending one chunk with `\n` starting the next);
 * - bytes are decoded with a StringDecoder, so a character split across chunks is decoded whole and
 *   malformed UTF-8 becomes U+FFFD the same way; the decoder is not flushed at the end, so an incomplete
 *   character on the last bytes of the input is dropped, as readline drops it;
 * - the text after the last line break is a final line unless it is empty;
 * - a chunk that decodes to nothing (the first bytes of a split character) forgets a pending `\r`.
 */
import { StringDecoder } from "node:string_decoder";

/** Turns decoded chunks into complete lines; keeps the unfinished tail until the next chunk. */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";
  /** The last chunk ended with `\r`: a `\n` opening the next chunk belongs to that line break. */
  private sawReturn = false;

  /** The lines completed by `bytes` (without their line breaks), in order. */
  push(bytes: Buffer): string[] {
    let text = this.decoder.write(bytes);
    if (this.sawReturn) {
      if (text.charCodeAt(0) === 0x0a) text = text.slice(1);
      this.sawReturn = false;
    }
    let cr = text.indexOf("\r");
    let lf = text.indexOf("\n");
    if (cr === -1 && lf === -1) {
      this.rest += text;
      return [];
    }
    const lines: string[] = [];
    let start = 0;
    while (cr !== -1 || lf !== -1) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        next = lf === cr + 1 ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      lines.push(start === 0 && this.rest !== "" ? this.rest + text.slice(0, end) : text.slice(start, end));
      start = next;
      if (cr !== -1 && cr < next) cr = text.indexOf("\r", next);
      if (lf !== -1 && lf < next) lf = text.indexOf("\n", next);
    }
    this.sawReturn = text.charCodeAt(text.length - 1) === 0x0d;
    this.rest = text.slice(start);
    return lines;
  }

  /** The final line when the input does not end with a line break. */
  end(): string[] {
    const last = this.rest;
    this.rest = "";
    return last === "" ? [] : [last];
  }
}

/** The lines of a byte stream, one array per chunk read (empty arrays skipped). */
export async function* readLineChunks(input: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const splitter = new LineSplitter();
  for await (const bytes of input) {
    const lines = splitter.push(bytes);
    if (lines.length > 0) yield lines;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}
