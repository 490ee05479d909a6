/** Reading a `text/event-stream` body: `{event, data}` per event, comment lines (heartbeats) skipped. */

/** One server-sent event with its data parsed as JSON. */
export interface ServerEvent {
  event: string;
  data: unknown;
}

/** Largest event accepted (a partial value is the whole output so far; outputs are bounded by the server). */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;

/** The events of an SSE body, in order. */
export async function* readServerEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<ServerEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    if (buffer.length > MAX_EVENT_CHARS) throw new Error("server-sent event too large");
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const parsed = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (parsed !== undefined) yield parsed;
      end = buffer.indexOf("\n\n");
    }
  }
}

function parseEvent(block: string): ServerEvent | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  return data.length === 0 ? undefined : { event, data: JSON.parse(data.join("\n")) };
}
