import { Writable } from "node:stream";
import { pino } from "pino";
import { HTTP_LOGGER_OPTIONS } from "../../src/http/app.js";

/** A pino logger configured like the app's own, writing JSON lines into `lines`. */
export function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino(
    {
      ...HTTP_LOGGER_OPTIONS,
      redact: { ...HTTP_LOGGER_OPTIONS.redact, paths: [...HTTP_LOGGER_OPTIONS.redact.paths] },
    },
    stream,
  );
  return { logger, lines };
}
