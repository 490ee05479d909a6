/** The bound on a streamed answer's silences, and the hook that frees its in-flight permit. */
import type { ResponseEventStream } from "../../core/parse/response-events.js";

/** The stream, calling `done` once when it ends however it ends, and aborted after `idleMs` without an event. */
export function guardStream(
  events: ResponseEventStream,
  idleMs: number,
  done: () => void,
): ResponseEventStream {
  const controller = events.controller;
  return {
    ...(controller === undefined ? {} : { controller }),
    async *[Symbol.asyncIterator]() {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => controller?.abort(), idleMs);
      };
      try {
        arm();
        for await (const event of events) {
          arm();
          yield event;
        }
      } finally {
        clearTimeout(timer);
        done();
      }
    },
  };
}
