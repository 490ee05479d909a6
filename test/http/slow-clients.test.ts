import { connect, type Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, test } from "vitest";
import { startServer } from "../../src/http/server.js";
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from "../../src/http/timeouts.js";
import { testApp } from "./helpers.js";

let app: FastifyInstance | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  app = undefined;
});

async function listen(timeouts: Partial<HttpTimeouts>): Promise<{ port: number; url: string }> {
  ({ app } = await testApp({ options: { timeouts: { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts } } }));
  const url = await startServer(app, { host: "127.0.0.1", port: 0, tokens: [] });
  return { port: Number(new URL(url).port), url };
}

/** A raw connection; resolves with everything the server sent once it closes (or after `giveUpMs`). */
function open(port: number, giveUpMs = 15_000): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${giveUpMs} ms`)), giveUpMs);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
  return { socket, closed };
}

/** Writes one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) return clearInterval(timer);
    socket.write(text[i++] as string);
  }, everyMs);
  socket.on("close", () => clearInterval(timer));
}

const healthy = async (url: string) => (await fetch(`${url}/healthz`)).status;

describe("slow clients are cut off", () => {
  test("headers never finished: the connection is closed after the headers timeout", async () => {
    const { port, url } = await listen({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const { socket, closed } = open(port);
    socket.write("GET /subjects HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    trickle(socket, "a".repeat(1000), 50);
    const answer = await closed;
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
    expect(await healthy(url)).toBe(200);
  });

  test("a body trickled a byte at a time is cut off with 408 by the request timeout", async () => {
    const { port, url } = await listen({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const { socket, closed } = open(port);
    const body = JSON.stringify({ schema: JSON.stringify({ type: "object" }) });
    socket.write(
      `POST /subjects/slow/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    trickle(socket, body, 100);
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Nothing half-received was stored.
    expect((await fetch(`${url}/subjects`)).status).toBe(200);
    expect(await (await fetch(`${url}/subjects`)).json()).toEqual([]);
  });

  test("an idle connection (nothing sent) is closed", async () => {
    const { port } = await listen({ headersTimeoutMs: 300, requestTimeoutMs: 600, connectionTimeoutMs: 800 });
    const answer = await open(port).closed;
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
  });

  test("connections past the cap are closed at once, and slow ones cannot keep the server from serving", async () => {
    const { port, url } = await listen({ headersTimeoutMs: 500, requestTimeoutMs: 1000, maxConnections: 4 });
    const held = Array.from({ length: 4 }, () => open(port));
    for (const { socket } of held) {
      socket.write("GET /subjects HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A fifth connection is refused by the cap while the four slow ones are held ...
    const extra = open(port);
    await expect(extra.closed).resolves.toBe("");
    // ... and once the timeouts cut the slow ones off, the server serves again.
    await Promise.all(held.map(({ closed }) => closed));
    expect(await healthy(url)).toBe(200);
  });

  test("maxRequestsPerSocket ends a keep-alive connection after that many requests", async () => {
    const { port } = await listen({ maxRequestsPerSocket: 2 });
    const { socket } = open(port);
    const get = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    let received = "";
    const third = new Promise<void>((resolve) => {
      socket.on("data", (chunk) => {
        received += chunk.toString("latin1");
        if (received.includes("503")) resolve();
      });
    });
    socket.write(get + get + get);
    await third;
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((a) => a.slice(9, 12))).toEqual(["200", "200", "503"]);
    expect(answers[1]).toMatch(/Connection: close/i);
  });
});
