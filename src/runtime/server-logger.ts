/**
 * The server's logger: pino JSON lines on stdout, written asynchronously.
 *
 * pino's default stdout destination writes each line with a synchronous write(2) on the request's path.
 * Here lines are buffered (sonic-boom, `sync: false`) and written in chunks of at least MIN_CHUNK bytes,
 * off the request path; a timer writes whatever waits at least every FLUSH_MS, so a quiet server's lines
 * still show promptly. The buffer is bounded (MAX_BUFFER): when whatever reads stdout stalls, lines past it
 * are dropped rather than growing the heap. Buffered lines are written before the process exits (pino
 * registers that) and by `flush()`, which `structreg serve` calls after a SIGTERM/SIGINT shutdown; a
 * SIGKILL loses at most the last FLUSH_MS of lines.
 */
import { type Logger, type LoggerOptions, pino } from "pino";

/** Smallest write while lines keep coming, bytes (about 20 access lines). */
const MIN_CHUNK = 4096;
/** Longest a line waits in the buffer, ms. */
const FLUSH_MS = 1000;
/** Most bytes buffered when stdout does not keep up; later lines are dropped. */
const MAX_BUFFER = 16 * 1024 * 1024;

/** A logger and the means to write out what it buffered. */
export interface ServerLogger {
  logger: Logger;
  /** Writes every buffered line now (synchronously); safe to call more than once. */
  flush(): void;
}

/** Creates the server's logger writing to `fd` (default stdout). */
export function createServerLogger(options: LoggerOptions, fd = 1): ServerLogger {
  const destination = pino.destination({
    dest: fd,
    sync: false,
    minLength: MIN_CHUNK,
    maxLength: MAX_BUFFER,
  });
  let pending = false;
  const logger = pino(
    {
      ...options,
      hooks: {
        streamWrite: (line) => {
          pending = true;
          return line;
        },
      },
    },
    destination,
  );
  const timer = setInterval(() => {
    if (!pending) return;
    pending = false;
    destination.flush();
  }, FLUSH_MS);
  timer.unref();
  return {
    logger,
    flush() {
      clearInterval(timer);
      pending = false;
      try {
        destination.flushSync();
      } catch {
        // Not open yet or already closed: nothing is buffered that could still be written.
      }
    },
  };
}
