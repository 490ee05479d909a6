import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A flag as the fake stores it (the SDK's data model plus REST variation ids). */
interface FakeFlag {
  key: string;
  version: number;
  on: boolean;
  variations: number[];
  variationIds: string[];
  offVariation: number;
  fallthrough: Record<string, unknown>;
  salt: string;
}

/** What a test can see and do with the fake. */
export interface FakeLaunchDarkly {
  url: string;
  /** Every REST request: method, path, content type, parsed body. */
  requests: Array<{ method: string; path: string; contentType: string; auth: string; body: unknown }>;
  /** Changes a flag's fallthrough as if someone flipped it in LaunchDarkly's UI, and streams it. */
  setFallthrough(key: string, fallthrough: Record<string, unknown>): void;
  /** Cuts every open stream and answers reconnects 503 until `restoreStream` (an outage at LaunchDarkly). */
  dropStream(): void;
  /** Accepts stream connections again (each starts with a full `put`). */
  restoreStream(): void;
  /** Stream connections open now, and stream requests refused while down. */
  streams(): { open: number; refused: number };
  close(): Promise<void>;
}

/**
 * A local stand-in for LaunchDarkly speaking the real wire formats: the streaming endpoint (`GET /all`, SSE
 * `put` then `patch` events) the server SDK reads, and the REST endpoints (`GET`/`PATCH /api/v2/flags/{project}/{key}`)
 * the rollout commands use, accepting semantic patches (`updateFallthroughVariationOrRollout`). A test can drop
 * the stream (connections cut, reconnects refused with 503) and restore it.
 */
export async function startFakeLaunchDarkly(
  flags: Array<{ key: string; variations: number[]; stable: number }>,
) {
  const store = new Map<string, FakeFlag>();
  for (const f of flags) {
    store.set(f.key, {
      key: f.key,
      version: 1,
      on: true,
      variations: f.variations,
      variationIds: f.variations.map((v) => `id-${v}`),
      offVariation: f.variations.indexOf(f.stable),
      fallthrough: { variation: f.variations.indexOf(f.stable) },
      salt: `salt-${f.key}`,
    });
  }
  const streams = new Set<ServerResponse>();
  let down = false;
  let refused = 0;
  const requests: FakeLaunchDarkly["requests"] = [];
  const sdkFlag = (f: FakeFlag) => ({
    key: f.key,
    version: f.version,
    on: f.on,
    variations: f.variations,
    offVariation: f.offVariation,
    fallthrough: f.fallthrough,
    targets: [],
    contextTargets: [],
    rules: [],
    prerequisites: [],
    salt: f.salt,
    trackEvents: false,
    trackEventsFallthrough: false,
    deleted: false,
  });
  const push = (f: FakeFlag) => {
    const data = JSON.stringify({ path: `/flags/${f.key}`, data: sdkFlag(f) });
    for (const res of streams) res.write(`event: patch\ndata: ${data}\n\n`);
  };

  function applyPatch(
    f: FakeFlag,
    body: { instructions?: Array<Record<string, unknown>> },
  ): string | undefined {
    for (const ins of body.instructions ?? []) {
      if (ins.kind !== "updateFallthroughVariationOrRollout")
        return `unknown instruction ${String(ins.kind)}`;
      if (typeof ins.variationId === "string") {
        const index = f.variationIds.indexOf(ins.variationId);
        if (index < 0) return "unknown variationId";
        f.fallthrough = { variation: index };
      } else {
        const weights = ins.rolloutWeights as Record<string, number>;
        const sum = Object.values(weights).reduce((a, b) => a + b, 0);
        if (sum !== 100_000) return `weights sum to ${sum}`;
        f.fallthrough = {
          rollout: {
            bucketBy: ins.rolloutBucketBy ?? "key",
            contextKind: ins.rolloutContextKind ?? "user",
            variations: f.variationIds.map((id, variation) => ({ variation, weight: weights[id] ?? 0 })),
          },
        };
      }
    }
    f.version += 1;
    return undefined;
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text;
  }

  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/all" && down) {
      refused += 1;
      return send(res, 503, { message: "service unavailable" });
    }
    if (req.method === "GET" && path === "/all") {
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
      const all = Object.fromEntries([...store.values()].map((f) => [f.key, sdkFlag(f)]));
      res.write(`event: put\ndata: ${JSON.stringify({ path: "/", data: { flags: all, segments: {} } })}\n\n`);
      streams.add(res);
      req.on("close", () => streams.delete(res));
      return;
    }
    const rest = /^\/api\/v2\/flags\/([^/]+)\/([^/]+)$/.exec(path);
    if (rest !== null) {
      const text = await readBody(req);
      const body = text === "" ? undefined : JSON.parse(text);
      requests.push({
        method: req.method ?? "",
        path,
        contentType: String(req.headers["content-type"] ?? ""),
        auth: String(req.headers.authorization ?? ""),
        body,
      });
      const flag = store.get(decodeURIComponent(rest[2] as string));
      if (flag === undefined) return send(res, 404, { code: "not_found", message: "Unknown resource" });
      const view = {
        key: flag.key,
        variations: flag.variations.map((v, i) => ({ _id: flag.variationIds[i], value: v })),
      };
      if (req.method === "GET") return send(res, 200, view);
      if (req.method === "PATCH") {
        if (req.headers["content-type"] !== "application/json; domain-model=launchdarkly.semanticpatch") {
          return send(res, 400, { code: "invalid_request", message: "expected a semantic patch" });
        }
        const problem = applyPatch(flag, body);
        if (problem !== undefined) return send(res, 400, { code: "invalid_request", message: problem });
        send(res, 200, view);
        push(flag);
        return;
      }
    }
    if (req.method === "POST") return send(res, 202, {}); // events and diagnostics
    send(res, 404, { message: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeLaunchDarkly = {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFallthrough(key, fallthrough) {
      const flag = store.get(key) as FakeFlag;
      flag.fallthrough = fallthrough;
      flag.version += 1;
      push(flag);
    },
    dropStream() {
      down = true;
      for (const res of streams) res.destroy();
      streams.clear();
    },
    restoreStream() {
      down = false;
    },
    streams: () => ({ open: streams.size, refused }),
    async close() {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return fake;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
