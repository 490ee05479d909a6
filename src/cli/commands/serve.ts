import type { Command } from "commander";
import type { ConfigOverrides } from "../../config.js";
import { StructregError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import { line } from "../output.js";

interface ServeOptions {
  host?: string;
  port?: string;
  dataDir?: string;
  schemas?: string;
  sync: boolean;
}

/** `structreg serve`: runs the registry until SIGINT/SIGTERM. */
export function addServeCommand(program: Command, ctx: CommandContext): void {
  program
    .command("serve")
    .description("run the registry server (publishes the schemas folder at start)")
    .option("--host <host>", "address to bind (env HOST, default 127.0.0.1)")
    .option("--port <port>", "port to bind, 0 for any free port (env PORT, default 8080)")
    .option("--data-dir <dir>", "PGlite data folder (env STRUCTREG_DATA_DIR, default ./data)")
    .option("--schemas <dir>", "schemas folder published at start (env STRUCTREG_SCHEMAS_DIR)")
    .option("--no-sync", "do not publish the schemas folder at start")
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg serve\n  $ structreg serve --port 9090 --data-dir /var/lib/structreg",
    )
    .action(async (options: ServeOptions) => {
      const overrides = toOverrides(options);
      // Before any server code runs hot (see v8-tuning.ts).
      const { tuneV8ForServing } = await import("../../runtime/v8-tuning.js");
      tuneV8ForServing();
      // Loaded on demand: the server pulls in fastify, PGlite and the rest, which offline commands never need.
      const { loadConfig } = await import("../../config.js");
      const { startServer } = await import("../../compose.js");
      const config = loadConfig(ctx.io.env, overrides, ctx.io.cwd);
      // Listen for signals before starting: a SIGTERM that lands during start-up still closes the store cleanly.
      const shutdown = ctx.io.waitForShutdown();
      const server = await startServer(config, { log: (text) => line(ctx.io.stderr, text) });
      const signal = await shutdown;
      line(ctx.io.stderr, `${signal}: shutting down`);
      await server.close();
    });
}

function toOverrides(options: ServeOptions): ConfigOverrides {
  const overrides: ConfigOverrides = {};
  if (options.host !== undefined) overrides.host = options.host;
  if (options.port !== undefined) overrides.port = parsePort(options.port);
  if (options.dataDir !== undefined) overrides.dataDir = options.dataDir;
  if (options.schemas !== undefined) overrides.schemasDir = options.schemas;
  if (!options.sync) overrides.syncSchemas = false;
  return overrides;
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^[0-9]{1,5}$/.test(raw) || port > 65_535) {
    throw new StructregError(
      "SR_USAGE",
      `--port must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`,
    );
  }
  return port;
}
