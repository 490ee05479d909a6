/**
 * Gathers a record stream into a snapshot and orders its versions for registration: a version comes after
 * the versions it references and after the earlier versions of its own subject; among the versions ready
 * at a time, the lowest id goes first (ids ascending, as the source assigned them). Kahn's algorithm with
 * a binary heap: O((V + R) log V). A cycle is refused before anything is written.
 */
import { StructregError } from "../../core/errors.js";
import { type MigrationRecord, type SourceSnapshot, type VersionRecord, versionKey } from "./records.js";

/** Bound on what an import holds in memory. */
export interface SnapshotLimits {
  maxVersions: number;
  maxSchemaBytes: number;
}

const DEFAULT_LIMITS: SnapshotLimits = { maxVersions: 1_000_000, maxSchemaBytes: 512 * 1024 * 1024 };

/** Reads every record; checks the end record's counts against what came. */
export async function collectSnapshot(
  records: AsyncIterable<MigrationRecord>,
  limits: Partial<SnapshotLimits> = {},
): Promise<SourceSnapshot> {
  const { maxVersions, maxSchemaBytes } = { ...DEFAULT_LIMITS, ...limits };
  const snapshot: Partial<SourceSnapshot> & Pick<SourceSnapshot, "subjects" | "versions"> = {
    global: {},
    subjects: [],
    versions: [],
  };
  let bytes = 0;
  for await (const record of records) {
    if (record.type === "header") snapshot.header = record;
    else if (record.type === "global") snapshot.global = strip(record);
    else if (record.type === "subject") snapshot.subjects.push(record);
    else if (record.type === "version") {
      bytes += record.schema.length;
      if (snapshot.versions.length >= maxVersions || bytes > maxSchemaBytes) {
        throw new StructregError(
          "SR_IMPORT_TOO_LARGE",
          `the source holds more than ${maxVersions} versions or ${maxSchemaBytes} bytes of schemas`,
          {
            hint: "import in parts with --subjects (each part's references come along)",
          },
        );
      }
      snapshot.versions.push(record);
    } else if (record.subjects !== snapshot.subjects.length || record.versions !== snapshot.versions.length) {
      throw new StructregError(
        "SR_IMPORT_SOURCE_INVALID",
        `the end record counts ${record.subjects} subjects and ${record.versions} versions, but ${snapshot.subjects.length} and ${snapshot.versions.length} came`,
      );
    }
  }
  if (snapshot.header === undefined)
    throw new StructregError("SR_IMPORT_SOURCE_INVALID", "the source has no header record");
  return snapshot as SourceSnapshot;
}

function strip<T extends { type: string }>(record: T): Omit<T, "type"> {
  const { type: _type, ...rest } = record;
  return rest;
}

/** An ordered plan: versions in registration order, and what the order could not satisfy. */
export interface VersionPlan {
  order: VersionRecord[];
  /** References to versions the source does not hold (the target must already have them). */
  missingReferences: Array<{ from: string; to: string }>;
}

/** Orders the versions; SR_IMPORT_REFERENCE_CYCLE names the versions of a cycle. */
export function planVersions(versions: readonly VersionRecord[]): VersionPlan {
  const byKey = new Map(versions.map((v) => [versionKey(v.subject, v.version), v]));
  const after = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  const missingReferences: VersionPlan["missingReferences"] = [];
  const edge = (from: string, to: string) => {
    const list = after.get(from);
    if (list === undefined) after.set(from, [to]);
    else list.push(to);
    waiting.set(to, (waiting.get(to) ?? 0) + 1);
  };
  for (const key of byKey.keys()) waiting.set(key, 0);
  const sorted = sortedByKey(versions);
  sorted.forEach((v, i) => {
    const key = versionKey(v.subject, v.version);
    const previous = sorted[i - 1];
    if (previous?.subject === v.subject) edge(versionKey(previous.subject, previous.version), key);
    for (const ref of v.references) {
      const target = versionKey(ref.subject, ref.version);
      if (byKey.has(target)) edge(target, key);
      else missingReferences.push({ from: key, to: target });
    }
  });
  const heap = new MinHeap<VersionRecord>(compareForOrder);
  for (const [key, count] of waiting) if (count === 0) heap.push(byKey.get(key) as VersionRecord);
  const order: VersionRecord[] = [];
  for (let v = heap.pop(); v !== undefined; v = heap.pop()) {
    order.push(v);
    for (const next of after.get(versionKey(v.subject, v.version)) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1;
      waiting.set(next, left);
      if (left === 0) heap.push(byKey.get(next) as VersionRecord);
    }
  }
  if (order.length < versions.length) throw cycleError(waiting);
  return { order, missingReferences };
}

function sortedByKey(versions: readonly VersionRecord[]): VersionRecord[] {
  return [...versions].sort((a, b) =>
    a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version,
  );
}

function compareForOrder(a: VersionRecord, b: VersionRecord): number {
  if (a.id !== b.id) return a.id - b.id;
  if (a.subject !== b.subject) return a.subject < b.subject ? -1 : 1;
  return a.version - b.version;
}

function cycleError(waiting: Map<string, number>): StructregError {
  const stuck = [...waiting].filter(([, n]) => n > 0).map(([k]) => k);
  return new StructregError(
    "SR_IMPORT_REFERENCE_CYCLE",
    `the references of ${stuck.length} version(s) form a cycle: ${stuck.slice(0, 10).join(", ")}${stuck.length > 10 ? ", …" : ""}`,
    {
      details: { versions: stuck.slice(0, 1_000) },
      hint: "fix the source (a registry cannot hold a cycle it registered in order)",
    },
  );
}

/** A binary min-heap (the ready set of the topological order). */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i] as T, items[parent] as T) >= 0) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ; ) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let min = i;
      if (l < items.length && this.less(items[l] as T, items[min] as T) < 0) min = l;
      if (r < items.length && this.less(items[r] as T, items[min] as T) < 0) min = r;
      if (min === i) break;
      [items[i], items[min]] = [items[min] as T, items[i] as T];
      i = min;
    }
    return top;
  }
}
