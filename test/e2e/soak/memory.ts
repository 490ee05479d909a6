import type { SoakHttp } from "./http.js";
import type { ServerProcess } from "./servers.js";

/** One reading of a process's memory from its /metrics (prom-client's default metrics). */
interface Sample {
  atMs: number;
  heapUsed: number;
  rss: number;
}

/** Memory of one process over the run, in MiB. */
export interface MemoryFigures {
  name: string;
  pid: number;
  samples: number;
  /** Heap used after warm-up: the lowest reading of the first third (the live set after a GC)… */
  heapBaselineMiB: number;
  /** …and of the last third. */
  heapFinalMiB: number;
  heapGrowthMiB: number;
  rssFirstMiB: number;
  rssLastMiB: number;
}

/** Heap growth after warm-up that fails the soak: a leak shows as a steady climb well past it. */
export const HEAP_GROWTH_LIMIT_MIB = 64;

const MIB = 1024 * 1024;

/** Reads every process's /metrics every `intervalMs` until `until` resolves; keeps the samples. */
export class MemorySampler {
  private readonly samples = new Map<ServerProcess, Sample[]>();

  constructor(
    private readonly http: SoakHttp,
    private readonly servers: readonly ServerProcess[],
  ) {
    for (const s of servers) this.samples.set(s, []);
  }

  async run(startedAt: number, intervalMs: number, isDone: () => boolean): Promise<void> {
    while (!isDone()) {
      await Promise.all(this.servers.map((s) => this.sample(s, startedAt)));
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** The figures of each process, judging only samples taken after `warmupMs`. */
  figures(warmupMs: number): MemoryFigures[] {
    return this.servers.map((server) => {
      const all = this.samples.get(server) ?? [];
      const after = all.filter((s) => s.atMs >= warmupMs);
      const third = Math.max(1, Math.floor(after.length / 3));
      const low = (xs: Sample[]) => Math.min(...xs.map((s) => s.heapUsed)) / MIB;
      const heapBaselineMiB = after.length === 0 ? 0 : low(after.slice(0, third));
      const heapFinalMiB = after.length === 0 ? 0 : low(after.slice(-third));
      return {
        name: server.name,
        pid: server.pid,
        samples: after.length,
        heapBaselineMiB: round(heapBaselineMiB),
        heapFinalMiB: round(heapFinalMiB),
        heapGrowthMiB: round(heapFinalMiB - heapBaselineMiB),
        rssFirstMiB: round((after[0]?.rss ?? 0) / MIB),
        rssLastMiB: round((after.at(-1)?.rss ?? 0) / MIB),
      };
    });
  }

  private async sample(server: ServerProcess, startedAt: number): Promise<void> {
    const answer = await this.http.call("metrics", "GET", `${server.url}/metrics`);
    if (answer.status !== 200 || typeof answer.body !== "string") return;
    const heapUsed = metric(answer.body, "nodejs_heap_size_used_bytes");
    const rss = metric(answer.body, "process_resident_memory_bytes");
    if (heapUsed === undefined || rss === undefined) return;
    this.samples.get(server)?.push({ atMs: performance.now() - startedAt, heapUsed, rss });
  }
}

function metric(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match === null ? undefined : Number(match[1]);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
