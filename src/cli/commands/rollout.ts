import { type Command, Option } from "commander";
import type { RolloutView } from "../../app/rollout-types.js";
import { errorFromResponse, UNREACHABLE_HINT } from "../../client/http-client.js";
import { StructregError } from "../../core/errors.js";
import type { GuardFigures, RolloutEvent } from "../../core/rollout/model.js";
import { type CommandContext, type ServerOptions, withServerOptions } from "../context.js";
import { line, printJson, printTable } from "../output.js";

/** A rollout as the server answers it (with the guard's figures of the answering process). */
type RolloutAnswer = RolloutView & { figures: GuardFigures | null };

interface SetOptions extends ServerOptions {
  candidate?: string;
  percent?: string;
  stage?: "shadow" | "ramping";
  stable?: string;
  threshold?: string;
  minSample?: string;
  window?: string;
  shadowShare?: string;
  reason?: string;
  revision?: string;
}

interface ReasonOptions extends ServerOptions {
  reason?: string;
}

const EXAMPLES = `
Examples:
  $ structreg rollout set invoice --candidate 3 --percent 10    10% of context keys get v3
  $ structreg rollout set invoice --percent 50                  same keys keep v3, more join
  $ structreg rollout set invoice --candidate 3 --stage shadow  callers keep stable; outputs also run through v3
  $ structreg rollout promote invoice                           v3 becomes stable for everyone
  $ structreg rollout rollback invoice                          everyone back on stable (never refused)`;

/** `structreg rollout status|set|promote|rollback|pause|history <subject>`. */
export function addRolloutCommand(program: Command, ctx: CommandContext): void {
  const rollout = program
    .command("rollout")
    .description("gradual rollout of a new version: status, set, promote, rollback, pause, history")
    .addHelpText("after", EXAMPLES);

  const status = rollout.command("status").description("show a subject's rollout").argument("<subject>");
  withServerOptions(status, ctx.io).action(async (subject: string, options: ServerOptions) => {
    show(ctx, options, await request<RolloutAnswer>(options, "GET", rolloutPath(subject)));
  });

  const set = rollout
    .command("set")
    .description("start, ramp or reconfigure a rollout (absent options keep their value)")
    .argument("<subject>")
    .option("--candidate <version>", "the version to roll out (an ENABLED version)")
    .option("--percent <p>", "share of context keys on the candidate, 0–100 (fractions allowed)")
    .addOption(new Option("--stage <stage>", "shadow: callers keep stable").choices(["shadow", "ramping"]))
    .option("--stable <version>", "the version everyone else keeps (default: current, else latest below)")
    .option("--threshold <percent>", "guard: candidate failure rate that rolls back (default 20)")
    .option("--min-sample <n>", "guard: candidate outcomes before it judges (default 100)")
    .option("--window <seconds>", "guard: sliding window (default 300)")
    .option("--shadow-share <percent>", "shadow stage: share of outputs also run through the candidate")
    .option("--reason <text>", "recorded in the audit history")
    .option("--revision <n>", "refuse the change if the rollout changed since this revision");
  withServerOptions(set, ctx.io).action(async (subject: string, options: SetOptions) => {
    show(ctx, options, await request<RolloutAnswer>(options, "PUT", rolloutPath(subject), setBody(options)));
  });

  for (const [name, description] of [
    ["promote", "the candidate becomes stable for every caller"],
    ["rollback", "every caller back on stable (no arguments needed; never refused)"],
    ["pause", "no caller gets the candidate, which is kept (resume with set --percent)"],
  ] as const) {
    const cmd = rollout
      .command(name)
      .description(description)
      .argument("<subject>")
      .option("--reason <text>", "recorded in the audit history");
    withServerOptions(cmd, ctx.io).action(async (subject: string, options: ReasonOptions) => {
      const body = options.reason === undefined ? {} : { reason: options.reason };
      show(
        ctx,
        options,
        await request<RolloutAnswer>(options, "POST", `${rolloutPath(subject)}/${name}`, body),
      );
    });
  }

  const history = rollout
    .command("history")
    .description("the audit history of a subject's rollout, newest first")
    .argument("<subject>")
    .option("--limit <n>", "events to show (1–1000)", "20");
  withServerOptions(history, ctx.io).action(
    async (subject: string, options: ServerOptions & { limit: string }) => {
      const limit = integer("--limit", options.limit);
      const events = await request<RolloutEvent[]>(
        options,
        "GET",
        `${rolloutPath(subject)}/history?limit=${limit}`,
      );
      if (options.json === true) return printJson(ctx.io.stdout, events);
      if (events.length === 0) return line(ctx.io.stdout, `${subject}: no rollout changes yet`);
      printTable(ctx.io.stdout, [["at", "who", "action", "change", "reason"], ...events.map(eventRow)]);
    },
  );
}

function rolloutPath(subject: string): string {
  return `/subjects/${encodeURIComponent(subject)}/rollout`;
}

function setBody(o: SetOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (o.candidate !== undefined) body.candidate = integer("--candidate", o.candidate);
  if (o.percent !== undefined) body.percent = number("--percent", o.percent);
  if (o.stage !== undefined) body.stage = o.stage;
  if (o.stable !== undefined) body.stable = integer("--stable", o.stable);
  if (o.reason !== undefined) body.reason = o.reason;
  if (o.revision !== undefined) body.revision = integer("--revision", o.revision);
  const guard: Record<string, unknown> = {};
  if (o.threshold !== undefined) guard.thresholdPercent = number("--threshold", o.threshold);
  if (o.minSample !== undefined) guard.minSample = integer("--min-sample", o.minSample);
  if (o.window !== undefined) guard.windowSeconds = integer("--window", o.window);
  if (o.shadowShare !== undefined) guard.shadowPercent = number("--shadow-share", o.shadowShare);
  if (Object.keys(guard).length > 0) body.guard = guard;
  return body;
}

function number(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new StructregError("SR_USAGE", `${flag} must be a number`, { hint: `got ${JSON.stringify(raw)}` });
  }
  return value;
}

function integer(flag: string, raw: string): number {
  if (!/^[0-9]{1,10}$/.test(raw)) {
    throw new StructregError("SR_USAGE", `${flag} must be a whole number`, {
      hint: `got ${JSON.stringify(raw)}`,
    });
  }
  return Number(raw);
}

/** Prints a rollout: one summary line, the guard, the last change. */
function show(ctx: CommandContext, options: ServerOptions, view: RolloutAnswer): void {
  if (options.json === true) {
    printJson(ctx.io.stdout, view);
    return;
  }
  const out = ctx.io.stdout;
  line(out, `${view.subject}: ${summary(view)}`);
  const g = view.guard;
  line(
    out,
    `guard: ${g.enabled ? "rolls back" : "would roll back (disabled)"} above ${g.thresholdPercent}% failures over ≥${g.minSample} candidate outcomes in ${g.windowSeconds}s` +
      (view.stage === "shadow" ? `; shadowing ${g.shadowPercent}% of outputs` : ""),
  );
  if (view.figures !== null && view.figures !== undefined) {
    const { candidate: c, stable: s } = view.figures;
    line(
      out,
      `seen here: candidate ${c.failed}/${c.total} failed (${c.ratePercent}%), stable ${s.failed}/${s.total} (${s.ratePercent}%)`,
    );
  }
  line(
    out,
    `flag ${view.flagKey} (${view.mode}); revision ${view.revision}${view.configured ? `, changed ${view.updatedAt} by ${view.updatedBy}` : ""}`,
  );
}

function summary(v: RolloutView): string {
  const candidate = v.candidate === null ? "" : `v${v.candidate}`;
  switch (v.stage) {
    case "ramping":
      return `ramping: candidate ${candidate} on ${v.percent}% of keys, stable v${v.stable} for the rest`;
    case "shadow":
      return `shadow: every caller gets stable v${v.stable}; outputs also run through ${candidate}`;
    case "promoted":
      return `promoted: v${v.stable} is stable for every caller`;
    case "rolled_back":
      return `rolled back: every caller gets stable v${v.stable}${candidate === "" ? "" : ` (candidate ${candidate} kept for the record)`}`;
    default:
      return v.configured
        ? `idle: every caller gets stable v${v.stable}${candidate === "" ? "" : ` (candidate ${candidate} paused)`}`
        : `no rollout: callers get the latest version (v${v.stable})`;
  }
}

function eventRow(e: RolloutEvent): string[] {
  const snap = (s: RolloutEvent["to"] | null) =>
    s === null
      ? "—"
      : `${s.stage} ${s.candidate === null ? "" : `v${s.candidate}@${s.percent}% `}stable v${s.stable}`;
  return [e.at, e.who, e.action, `${snap(e.from)} → ${snap(e.to)}`, e.reason ?? ""];
}

/** One JSON request to the registry; errors become StructregError with the server's code. */
async function request<T>(options: ServerOptions, method: string, path: string, body?: unknown): Promise<T> {
  let base: URL;
  try {
    base = new URL(options.url.endsWith("/") ? options.url : `${options.url}/`);
  } catch {
    throw new StructregError(
      "SR_CONFIG_INVALID",
      `registry URL ${JSON.stringify(options.url)} is not a URL`,
      {
        hint: "pass --url http://host:port or set STRUCTREG_URL",
      },
    );
  }
  // The server names the token in the audit; without tokens, it records who says it is acting: the CLI.
  const headers: Record<string, string> = { Accept: "application/json", "x-structreg-actor": "cli" };
  if (options.token !== undefined && options.token !== "") headers.Authorization = `Bearer ${options.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  let text: string;
  try {
    response = await fetch(new URL(path.slice(1), base), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    text = await response.text();
  } catch (err) {
    throw new StructregError("SR_SERVER_UNREACHABLE", `cannot reach the registry at ${base.origin}`, {
      hint: UNREACHABLE_HINT,
      cause: err,
    });
  }
  if (!response.ok) throw errorFromResponse(response.status, text);
  return JSON.parse(text) as T;
}
