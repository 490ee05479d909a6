import { type Command, Option } from "commander";
import type { EffectiveConfig } from "../../app/registry-types.js";
import type { ConfigPatch } from "../../client/http-client.js";
import { COMPATIBILITY_LEVELS, COMPATIBILITY_POLICIES, PROFILES } from "../../core/model.js";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { printJson, printTable } from "../output.js";

interface ConfigOptions extends ServerOptions {
  compatibility?: ConfigPatch["compatibility"];
  policy?: ConfigPatch["policy"];
  profile?: ConfigPatch["profile"];
}

/** `structreg config [subject]`: shows, or with options sets, the global or a subject's settings. */
export function addConfigCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("config")
    .description("show or set compatibility level, policy and provider profile (global or per subject)")
    .argument("[subject]", "subject name (omit for the global settings)")
    .addOption(new Option("--compatibility <level>", "compatibility level").choices(COMPATIBILITY_LEVELS))
    .addOption(new Option("--policy <policy>", "compatibility policy").choices(COMPATIBILITY_POLICIES))
    .addOption(new Option("--profile <profile>", "provider lint profile").choices(PROFILES));
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg config\n  $ structreg config support-ticket-triage --compatibility FULL --policy LENIENT",
    )
    .action(async (subject: string | undefined, options: ConfigOptions) => {
      const patch: ConfigPatch = {};
      if (options.compatibility !== undefined) patch.compatibility = options.compatibility;
      if (options.policy !== undefined) patch.policy = options.policy;
      if (options.profile !== undefined) patch.profile = options.profile;
      const client = clientFor(options);
      const config =
        Object.keys(patch).length > 0
          ? await client.setConfig(subject, patch)
          : await client.getConfig(subject);
      if (options.json === true) return printJson(ctx.io.stdout, config);
      printTable(ctx.io.stdout, configRows(config));
    });
}

function configRows(config: EffectiveConfig): string[][] {
  return [
    ["compatibility", config.compatibilityLevel],
    ["policy", config.policy],
    ["profile", config.profile],
  ];
}
