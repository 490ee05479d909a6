/** Reading a `text/event-stream` answer in tests. */

/** The server-sent events of a body: `{event, data}` each (comment lines skipped). */
export function eventsOf(body: string): Array<{ event: string; data: Record<string, unknown> }> {
  return body
    .split("\n\n")
    .filter((block) => block.startsWith("event: "))
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) as Record<string, unknown> };
    });
}

/** Posts `body` to `url` as a streaming client, reads until the first `partial` event, then hangs up. */
export async function leaveAfterFirstPartial(url: string, body: unknown): Promise<void> {
  const client = new AbortController();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: client.signal,
  });
  const reader = res.body!.getReader();
  let seen = "";
  while (!seen.includes("event: partial")) seen += new TextDecoder().decode((await reader.read()).value);
  client.abort();
}
