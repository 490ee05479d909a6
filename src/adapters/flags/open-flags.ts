import type { LDLogger } from "@launchdarkly/node-server-sdk";
import type { FlagSource, RolloutChangeFeed, RolloutStore } from "../../app/rollout-types.js";
import type { PostgresLimits } from "../storage/pg.js";
import { ROLLOUT_CHANNEL } from "../storage/sql-rollout-store.js";
import { createPgChangeFeed, createPollingChangeFeed, DEFAULT_POLL_MS } from "./change-feed.js";
import { createEmbeddedFlagSource } from "./embedded-flags.js";
import { createLaunchDarklyFlagSource } from "./launchdarkly-flags.js";
import { createLdRestClient } from "./ld-rest.js";

/** The flag settings of the configuration (see CONFIG_VARIABLES). */
export interface FlagsConfig {
  flagKeyPrefix: string;
  /** LaunchDarkly mode when set; embedded (TestData fed from the store) otherwise. */
  ldSdkKey?: string | undefined;
  /** Lets rollout commands change flags in LaunchDarkly (REST API, semantic patch). */
  ldApiToken?: string | undefined;
  ldProjectKey: string;
  ldEnvironmentKey: string;
  ldBaseUri?: string | undefined;
  ldStreamUri?: string | undefined;
  ldEventsUri?: string | undefined;
  /** LaunchDarkly's REST API, e.g. https://app.launchdarkly.com. */
  ldApiUri: string;
}

/** Opens the flag source the configuration names: LaunchDarkly with an SDK key, else embedded. */
export function openFlagSource(config: FlagsConfig, logger?: LDLogger): FlagSource {
  const log = logger === undefined ? {} : { logger };
  if (config.ldSdkKey === undefined || config.ldSdkKey === "") {
    return createEmbeddedFlagSource({ keyPrefix: config.flagKeyPrefix, ...log });
  }
  const rest =
    config.ldApiToken === undefined || config.ldApiToken === ""
      ? undefined
      : createLdRestClient({
          baseUri: config.ldApiUri,
          apiToken: config.ldApiToken,
          projectKey: config.ldProjectKey,
          environmentKey: config.ldEnvironmentKey,
        });
  const dashboard = new URL(
    `/projects/${encodeURIComponent(config.ldProjectKey)}/flags`,
    config.ldApiUri,
  ).toString();
  return createLaunchDarklyFlagSource({
    sdkKey: config.ldSdkKey,
    keyPrefix: config.flagKeyPrefix,
    ...(config.ldStreamUri === undefined ? {} : { streamUri: config.ldStreamUri }),
    ...(config.ldBaseUri === undefined ? {} : { baseUri: config.ldBaseUri }),
    ...(config.ldEventsUri === undefined ? {} : { eventsUri: config.ldEventsUri }),
    ...(rest === undefined ? {} : { rest }),
    dashboardHint: `change the flag's default rule in LaunchDarkly (${dashboard}, environment ${config.ldEnvironmentKey}), or set LD_API_TOKEN so structreg can`,
    ...log,
  });
}

/**
 * The feed telling this process about rollout changes made by others: LISTEN/NOTIFY on PostgreSQL with
 * polling as the fallback; polling alone otherwise (PGlite is one process; memory has no other process).
 */
export function openChangeFeed(options: {
  store: RolloutStore;
  databaseUrl?: string | undefined;
  pollMs?: number;
  limits?: Partial<PostgresLimits>;
}): RolloutChangeFeed {
  const polling = createPollingChangeFeed(
    async () => (await options.store.list()).map((s) => ({ subject: s.subject, revision: s.revision })),
    options.pollMs ?? DEFAULT_POLL_MS,
  );
  if (options.databaseUrl === undefined || options.databaseUrl === "") return polling;
  return createPgChangeFeed({
    connectionString: options.databaseUrl,
    channel: ROLLOUT_CHANNEL,
    fallback: polling,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
}
