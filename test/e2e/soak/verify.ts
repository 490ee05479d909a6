import { isDeepStrictEqual } from "node:util";
import { runWorkers, type SoakHttp } from "./http.js";
import type { ServerProcess } from "./servers.js";
import { type Ack, REGISTER_SUBJECTS, schemaNumber } from "./workloads.js";

/** Concurrent reads while verifying. */
const VERIFY_CONCURRENCY = 8;
/** Most problems of one kind listed (the count says how many more there were). */
const LISTED = 10;

/**
 * After the load: versions of every shared subject are 1..n with no gap or duplicate, no two acknowledged
 * registrations of different schemas got the same version, a schema registered twice got the same answer, and each acknowledged registration is stored under its version with
 * its id and its schema. Reads rotate over the instances.
 */
export async function verifyAcks(
  http: SoakHttp,
  servers: readonly ServerProcess[],
  acks: readonly Ack[],
): Promise<{ versions: Record<string, number>; problems: string[] }> {
  const problems: string[] = [];
  const versions: Record<string, number> = {};
  for (const [i, subject] of REGISTER_SUBJECTS.entries()) {
    const server = servers[i % servers.length] as ServerProcess;
    const res = await http.call("verify", "GET", `${server.url}/subjects/${subject}/versions`);
    const list = res.status === 200 ? (res.body as number[]) : [];
    versions[subject] = list.length;
    const contiguous = list.every((v, at) => v === at + 1);
    if (!contiguous)
      problems.push(`${subject}: versions are not 1..${list.length}: ${JSON.stringify(list.slice(0, 50))}`);
  }
  problems.push(...sameAnswers(acks));
  problems.push(...(await checkStored(http, servers, acks)));
  return { versions, problems };
}

/** No version acknowledged for two schemas, and a schema registered twice got the same version and id. */
function sameAnswers(acks: readonly Ack[]): string[] {
  const problems: string[] = [];
  const byVersion = new Map<string, Ack>();
  const bySchema = new Map<string, Ack>();
  for (const ack of acks) {
    const version = `${ack.subject}/${ack.version}`;
    const other = byVersion.get(version);
    if (other !== undefined && other.n !== ack.n) {
      problems.push(`${version} acknowledged for two schemas (n=${other.n} and n=${ack.n})`);
    }
    byVersion.set(version, ack);
    const schema = `${ack.subject}#${ack.n}`;
    const first = bySchema.get(schema);
    if (first !== undefined && (first.version !== ack.version || first.id !== ack.id)) {
      problems.push(
        `${schema} registered twice got v${first.version}/id ${first.id} and v${ack.version}/id ${ack.id}`,
      );
    }
    bySchema.set(schema, ack);
  }
  return problems;
}

async function checkStored(http: SoakHttp, servers: readonly ServerProcess[], acks: readonly Ack[]) {
  const wrong: string[] = [];
  let next = 0;
  await runWorkers(VERIFY_CONCURRENCY, async () => {
    while (next < acks.length) {
      const at = next++;
      const ack = acks[at] as Ack;
      const server = servers[at % servers.length] as ServerProcess;
      const res = await http.call(
        "verify",
        "GET",
        `${server.url}/subjects/${ack.subject}/versions/${ack.version}`,
      );
      const body = res.body as { id?: number; schema?: string } | undefined;
      const same =
        res.status === 200 &&
        body?.id === ack.id &&
        isDeepStrictEqual(JSON.parse(body.schema ?? "null"), schemaNumber(ack.n));
      if (!same)
        wrong.push(
          `${ack.subject} v${ack.version} (id ${ack.id}, n=${ack.n}): ${res.status} ${JSON.stringify(body).slice(0, 200)}`,
        );
    }
  });
  if (wrong.length === 0) return [];
  const more = wrong.length > LISTED ? ` (and ${wrong.length - LISTED} more)` : "";
  return [
    `${wrong.length} acknowledged registrations missing or different${more}:\n${wrong.slice(0, LISTED).join("\n")}`,
  ];
}
