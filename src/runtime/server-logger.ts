/**
 * The server's logger: pino JSON lines on stdout, written asynchronously through a LineWriter.
 *
 * pino's default stdout destination writes each line with a synchronous write(2) on the request's path,
 * and its asynchronous one (sonic-boom) measures the UTF-8 length of its whole pending buffer on every
 * line. Here a line costs an array push: lines are joined and written with one asynchronous write once
 * CHUNK characters wait, and at least every FLUSH_MS, so a quiet server's lines still show promptly. The
 * buffer is bounded (MAX_BUFFER): when whatever reads stdout stalls, lines past it are dropped rather than
 * growing the heap. Buffered lines are written synchronously on process exit and by `flush()`, which
 * `structreg serve` calls after a SIGTERM/SIGINT shutdown; a SIGKILL loses at most the last FLUSH_MS.
 */
import { write as writeAsync, writeSync } from "node:fs";
import { type Logger, type LoggerOptions, pino } from "pino";

/** Characters gathered before a write while lines keep coming (a few hundred access lines). */
const CHUNK = 64 * 1024;
/** Longest a line waits in the buffer, ms. */
const FLUSH_MS = 1000;
/** Most characters buffered when the output does not keep up; later lines are dropped. */
const MAX_BUFFER = 16 * 1024 * 1024;
/** Wait before retrying a write a non-blocking pipe refused (EAGAIN), ms. */
const RETRY_MS = 10;

/** Buffers lines and writes them to a file descriptor off the caller's path. */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;
  private writing = false;
  private readonly timer: NodeJS.Timeout;
  /** Lines dropped because the buffer was full. */
  dropped = 0;

  constructor(private readonly fd: number) {
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Queues one line (with its line break); pino calls this as its destination. */
  write(line: string): boolean {
    if (this.size + line.length > MAX_BUFFER) {
      this.dropped += 1;
      return false;
    }
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= CHUNK) this.flush();
    return true;
  }

  /** Starts writing what waits, unless a write is in flight (its end writes the rest). */
  flush(): void {
    if (this.writing || this.size === 0) return;
    this.writeOut(Buffer.from(this.take()));
  }

  /** Writes everything buffered now, synchronously (at exit and shutdown). */
  flushSync(): void {
    clearInterval(this.timer);
    if (this.size === 0) return;
    const text = this.take();
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        writeSync(this.fd, text);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") return;
      }
    }
  }

  private take(): string {
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    return text;
  }

  private writeOut(bytes: Buffer): void {
    this.writing = true;
    writeAsync(this.fd, bytes, 0, bytes.length, null, (err, written) => {
      if (err !== null && err.code === "EAGAIN") {
        setTimeout(() => this.writeOut(bytes), RETRY_MS).unref();
        return;
      }
      if (err === null && written < bytes.length) {
        this.writeOut(bytes.subarray(written));
        return;
      }
      // Any other error (a closed stdout): the lines are lost, as a write to a closed stream loses them.
      this.writing = false;
      if (this.size >= CHUNK) this.flush();
    });
  }
}

/** A logger and the means to write lines and to write out what it buffered. */
export interface ServerLogger {
  logger: Logger;
  /** Queues a line already formatted as the logger would write it (the access log's fast path). */
  writeLine(line: string): void;
  /** Writes every buffered line now (synchronously); safe to call more than once. */
  flush(): void;
}

/** Creates the server's logger writing to `fd` (default stdout). */
export function createServerLogger(options: LoggerOptions, fd = 1): ServerLogger {
  const writer = new LineWriter(fd);
  const logger = pino(options, writer);
  const flush = () => writer.flushSync();
  process.once("exit", flush);
  return {
    logger,
    writeLine: (line) => writer.write(line),
    flush() {
      process.off("exit", flush);
      flush();
    },
  };
}
