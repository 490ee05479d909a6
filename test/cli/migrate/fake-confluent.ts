/**
 * A fake of Confluent Schema Registry's read API on 127.0.0.1, answering from a fixture in Confluent's wire
 * format: `schemaType` omitted for AVRO, `references` omitted when empty, errors `{error_code, message}` with
 * 40401 / 40402 / 40403 / 40408 and Confluent's messages, `offset`/`limit` paging of /subjects (7.x), a
 * fully soft-deleted subject answering 40401 unless `?deleted=true`. Faults are injected per request.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One version as the fixture holds it. */
export interface FakeVersion {
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
  references?: Array<{ name: string; subject: string; version: number }>;
  deleted?: boolean;
}

/** A registry's content. */
export interface FakeRegistryData {
  config: { compatibilityLevel: string };
  subjectConfigs: Record<string, { compatibilityLevel: string }>;
  subjects: Record<string, FakeVersion[]>;
}

/** What to do with one request instead of answering it normally. */
export type Fault =
  | { kind: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "cut" }
  | { kind: "body"; body: string; status?: number };

/** A running fake. */
export interface FakeConfluent {
  url: string;
  /** Every request's method and URL, in order. */
  requests: string[];
  /** Every request's Authorization header ("" when none), in order. */
  authorizations: string[];
  /** Decides a fault for a request (undefined: answer normally). Replaceable during a test. */
  fault: (method: string, url: string, index: number) => Fault | undefined;
  close(): Promise<void>;
}

const MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

/** Loads a fixture file of test/cli/migrate/fixtures. */
export function loadFixture(name: string): FakeRegistryData {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as FakeRegistryData;
}

/**
 * Starts the fake; `paging` makes /subjects honour offset/limit as Confluent 7.x does; `prefix` serves the
 * API under a path (Apicurio serves it under /apis/ccompat/v7).
 */
export async function startFakeConfluent(
  data: FakeRegistryData,
  options: { paging?: boolean; prefix?: string } = {},
): Promise<FakeConfluent> {
  const hung: ServerResponse[] = [];
  const fake: FakeConfluent = {
    url: "",
    requests: [],
    authorizations: [],
    fault: () => undefined,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const index = fake.requests.length;
    fake.requests.push(`${req.method} ${req.url}`);
    fake.authorizations.push(req.headers.authorization ?? "");
    const fault = fake.fault(req.method ?? "GET", req.url ?? "/", index);
    if (fault?.kind === "hang") return void hung.push(res);
    if (fault?.kind === "cut") return void req.socket.destroy();
    if (fault?.kind === "status")
      return send(
        res,
        fault.status,
        fault.body ?? errorBody(50001, "Error in the backend data store"),
        fault.headers,
      );
    if (fault?.kind === "body") return send(res, fault.status ?? 200, fault.body);
    const prefix = options.prefix ?? "";
    if (!(req.url ?? "/").startsWith(`${prefix}/`))
      return void send(res, 404, errorBody(404, "HTTP 404 Not Found"));
    req.url = (req.url ?? "/").slice(prefix.length);
    answer(data, req, res, options.paging === true);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = async () => {
    for (const res of hung) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}

function answer(
  data: FakeRegistryData,
  req: IncomingMessage,
  res: ServerResponse,
  paging: boolean,
): undefined {
  const url = new URL(req.url ?? "/", "http://fake");
  const deleted = url.searchParams.get("deleted") === "true";
  const parts = url.pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  if (req.method !== "GET") return send(res, 405, errorBody(405, "HTTP 405 Method Not Allowed"));
  if (parts[0] === "config" && parts.length === 1) return json(res, data.config);
  if (parts[0] === "config" && parts.length === 2) return subjectConfig(data, parts[1] as string, res);
  if (parts[0] === "subjects" && parts.length === 1)
    return json(res, listSubjects(data, deleted, paging ? url.searchParams : undefined));
  if (parts[0] === "subjects" && parts[2] === "versions") return versions(data, parts, deleted, res);
  if (parts[0] === "schemas" && parts[1] === "ids" && parts.length === 3)
    return schemaById(data, Number(parts[2]), res);
  return send(res, 404, errorBody(404, "HTTP 404 Not Found"));
}

function listSubjects(data: FakeRegistryData, deleted: boolean, page: URLSearchParams | undefined): string[] {
  const names = Object.keys(data.subjects)
    .filter((s) => deleted || (data.subjects[s] ?? []).some((v) => v.deleted !== true))
    .sort();
  if (page === undefined) return names;
  const offset = Number(page.get("offset") ?? 0);
  const limit = Number(page.get("limit") ?? -1);
  return limit < 0 ? names.slice(offset) : names.slice(offset, offset + limit);
}

function subjectConfig(data: FakeRegistryData, subject: string, res: ServerResponse): undefined {
  const own = data.subjectConfigs[subject];
  if (own !== undefined) return json(res, own);
  if (data.subjects[subject] === undefined)
    return send(res, 404, errorBody(40401, `Subject '${subject}' not found.`));
  send(
    res,
    404,
    errorBody(40408, `Subject '${subject}' does not have subject-level compatibility configured`),
  );
}

function versions(data: FakeRegistryData, parts: string[], deleted: boolean, res: ServerResponse): undefined {
  const subject = parts[1] as string;
  const all = data.subjects[subject];
  const visible = (all ?? []).filter((v) => deleted || v.deleted !== true);
  if (all === undefined || visible.length === 0)
    return send(res, 404, errorBody(40401, `Subject '${subject}' not found.`));
  if (parts.length === 3)
    return json(
      res,
      visible.map((v) => v.version),
    );
  const wanted = parts[3] === "latest" ? visible.at(-1)?.version : Number(parts[3]);
  const found = visible.find((v) => v.version === wanted);
  if (found === undefined) return send(res, 404, errorBody(40402, `Version ${parts[3]} not found.`));
  return json(res, {
    subject,
    version: found.version,
    id: found.id,
    ...(found.schemaType === undefined || found.schemaType === "AVRO"
      ? {}
      : { schemaType: found.schemaType }),
    ...(found.references === undefined || found.references.length === 0
      ? {}
      : { references: found.references }),
    schema: found.schema,
  });
}

function schemaById(data: FakeRegistryData, id: number, res: ServerResponse): undefined {
  const found = Object.values(data.subjects)
    .flat()
    .find((v) => v.id === id);
  if (found === undefined) return send(res, 404, errorBody(40403, `Schema ${id} not found`));
  json(res, {
    ...(found.schemaType === undefined ? {} : { schemaType: found.schemaType }),
    schema: found.schema,
  });
}

function errorBody(code: number, message: string): string {
  return JSON.stringify({ error_code: code, message });
}

function json(res: ServerResponse, value: unknown): undefined {
  return send(res, 200, JSON.stringify(value));
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): undefined {
  res.writeHead(status, { "Content-Type": MEDIA_TYPE, ...headers });
  res.end(body);
  return undefined;
}
