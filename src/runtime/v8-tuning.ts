/**
 * V8 settings for a long-running registry server, applied by `structreg serve` before the server starts.
 *
 * Allocation-site pretenuring is turned off. Under sustained load V8 sometimes decides, from a few early
 * scavenges that caught requests in flight, that the objects of a per-request allocation site (an outcome
 * literal, say) live long and allocates them straight in the old generation. Those dead-on-arrival old
 * objects then keep every young object they point at (the parsed output, its strings) alive through each
 * scavenge until the next full collection: the heap swings between ~35 and ~140 MB every second and
 * throughput drops by a quarter. Measured on POST /subjects/{s}/validate: the swing appeared in about one
 * start in three with V8's default and in none of fifteen with pretenuring off. Request objects here never
 * outlive their request, so pretenuring has nothing to gain.
 */
import { setFlagsFromString } from "node:v8";

let applied = false;

/** Applies the server's V8 settings once per process (later calls do nothing). */
export function tuneV8ForServing(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString("--no-allocation-site-pretenuring");
}
