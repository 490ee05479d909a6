/**
 * The whole path on real storage: two `structreg serve` processes on PGlite (one instance per process),
 * one seeded through its HTTP API, copied into the other by the CLI, compared, and copied again.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createRegistryClient, type RegistryClient } from "../../../src/client/http-client.js";
import { createTempDatabase, postgresAvailable } from "../../helpers/databases.js";
import { type ServeProcess, startServe } from "../../helpers/serve-process.js";
import { seedStructregSource } from "./registry-snapshot.js";
import { runImportCli as runCli } from "./run-import.js";

const dirs: string[] = [];
const servers: ServeProcess[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const dir = await mkdtemp(join(tmpdir(), "structreg-import-serve-"));
    dirs.push(dir);
    servers.push(await startServe({}, dir));
  }
  await seedStructregSource(asService(createRegistryClient({ url: (servers[0] as ServeProcess).url })));
}, 180_000);

afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The seeding helper speaks RegistryService: the HTTP client spells the global config `undefined`. */
function asService(client: RegistryClient): Parameters<typeof seedStructregSource>[0] {
  return {
    ...client,
    setConfig: (s: string | null, patch: object) => client.setConfig(s ?? undefined, patch),
  } as unknown as Parameters<typeof seedStructregSource>[0];
}

async function describeOverHttp(client: RegistryClient): Promise<unknown> {
  const subjects: Record<string, unknown> = {};
  for (const subject of (await client.listSubjects({ deleted: true })).sort()) {
    const versions = [];
    for (const n of await client.listVersions(subject, { deleted: true })) {
      const { version, id, schema, state, deleted, references } = await client.getVersion(subject, n, {
        deleted: true,
      });
      versions.push({ version, id, schema, state, deleted, references });
    }
    subjects[subject] = { config: await client.getConfig(subject), versions };
  }
  return { global: await client.getConfig(), subjects };
}

test("copies a structreg on PGlite into another with the same ids, states, deletes and settings; a re-run changes nothing", async () => {
  const [source, target] = servers.map((s) => createRegistryClient({ url: s.url })) as [
    RegistryClient,
    RegistryClient,
  ];
  const cwd = await mkdtemp(join(tmpdir(), "structreg-import-cwd-"));
  dirs.push(cwd);
  const first = await runCli(["import", "--from", source.url, "--url", target.url, "--json"], { cwd });
  expect(first.stderr).not.toContain("error");
  expect(first.code).toBe(0);
  expect(await describeOverHttp(target)).toEqual(await describeOverHttp(source));

  const again = await runCli(["import", "--from", source.url, "--url", target.url, "--json"], { cwd });
  expect(again.code).toBe(0);
  expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, versions: { copied: 0, failed: 0 } });
  expect(await describeOverHttp(target)).toEqual(await describeOverHttp(source));
}, 180_000);

test.skipIf(!postgresAvailable())(
  "copies it into a structreg on PostgreSQL the same way",
  async () => {
    const database = await createTempDatabase();
    const dir = await mkdtemp(join(tmpdir(), "structreg-import-pg-"));
    dirs.push(dir);
    const onPostgres = await startServe({ DATABASE_URL: database.url }, dir);
    try {
      const source = createRegistryClient({ url: (servers[0] as ServeProcess).url });
      const target = createRegistryClient({ url: onPostgres.url });
      const first = await runCli(["import", "--from", source.url, "--url", target.url], { cwd: dir });
      expect(first.code).toBe(0);
      expect(await describeOverHttp(target)).toEqual(await describeOverHttp(source));
      const again = await runCli(["import", "--from", source.url, "--url", target.url, "--json"], {
        cwd: dir,
      });
      expect(JSON.parse(again.stdout).changed).toBe(false);
    } finally {
      await onPostgres.stop();
      await database.drop();
    }
  },
  180_000,
);
