import { type Command, Option } from "commander";
import { createRegistryClient, type RegistryClient } from "../client/http-client.js";
import { StructregError } from "../core/errors.js";
import type { CliIO } from "./io.js";

/** What every command gets: the process surroundings and a way to set the exit code. */
export interface CommandContext {
  io: CliIO;
  /** Exit code of the run; commands set it when they finish with something other than success. */
  exitCode: number;
}

/** Options every server command accepts. */
export interface ServerOptions {
  url: string;
  token?: string;
  json?: boolean;
}

const DEFAULT_URL = "http://127.0.0.1:8080";

/** Adds `--url`, `--token` and `--json` (defaults from STRUCTREG_URL / STRUCTREG_TOKEN) to a command. */
export function withServerOptions(cmd: Command, io: CliIO): Command {
  const url = nonEmpty(io.env.STRUCTREG_URL) ?? DEFAULT_URL;
  const token = nonEmpty(io.env.STRUCTREG_TOKEN);
  cmd.option("--url <url>", "registry URL (env STRUCTREG_URL)", url);
  const tokenOption = new Option("--token <token>", "bearer token (env STRUCTREG_TOKEN)");
  // The second argument is what help shows instead of the value: a secret must never reach --help output.
  cmd.addOption(token === undefined ? tokenOption : tokenOption.default(token, "$STRUCTREG_TOKEN"));
  return cmd.option("--json", "machine-readable output");
}

/** The HTTP client for a server command's options. */
export function clientFor(options: ServerOptions): RegistryClient {
  return createRegistryClient({ url: options.url, token: options.token });
}

/** Parses a version argument: a positive integer or `latest`. */
export function parseVersionArg(raw: string, allowLatest = true): number | "latest" {
  if (allowLatest && raw === "latest") return "latest";
  if (/^[1-9][0-9]{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647) return Number(raw);
  throw new StructregError(
    "SR_USAGE",
    `version must be a positive integer${allowLatest ? " or latest" : ""}`,
    {
      hint: `got ${JSON.stringify(raw)}`,
    },
  );
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
