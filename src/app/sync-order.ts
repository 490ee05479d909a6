/**
 * The order a schemas folder is published in: each subject's files in version order, subjects in name
 * order, except that a file waits until the files of the folder it references are published (so a shared
 * `money` subject is published before `expense-report` references it, whatever the names). A file whose
 * reference can never be satisfied (a cycle, or a wait on a file that was refused) is published last, in
 * name order, and the registry answers for it. Quadratic in the number of files at worst: folders are small.
 */
import type { SchemaReference } from "../core/schema/references.js";

/** One `v<N>.json` of a subject folder, with the references its sidecar lists (empty without one). */
export interface FolderFile {
  subject: string;
  version: number;
  references: readonly SchemaReference[];
}

/** `files` in publishing order (every file exactly once). */
export function publishOrder<F extends FolderFile>(files: readonly F[]): F[] {
  const key = (subject: string, version: number) => `${subject}@${version}`;
  const inFolder = new Set(files.map((f) => key(f.subject, f.version)));
  const subjects = [...new Set(files.map((f) => f.subject))].sort();
  const queues = subjects.map((s) =>
    files.filter((f) => f.subject === s).sort((a, b) => a.version - b.version),
  );
  const done = new Set<string>();
  // A reference waits on a file of the folder not yet published ("latest" waits on all of its subject's).
  const waits = (ref: SchemaReference) =>
    ref.version === -1
      ? files.some((f) => f.subject === ref.subject && !done.has(key(f.subject, f.version)))
      : inFolder.has(key(ref.subject, ref.version)) && !done.has(key(ref.subject, ref.version));
  const order: F[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const queue of queues) {
      while (queue.length > 0 && !(queue[0] as F).references.some(waits)) {
        const next = queue.shift() as F;
        order.push(next);
        done.add(key(next.subject, next.version));
        progress = true;
      }
    }
  }
  for (const queue of queues) order.push(...queue);
  return order;
}
