import { StructregError } from "../../core/errors.js";
import { candidateWeight, ROLLOUT_WEIGHT_TOTAL } from "../../core/rollout/flag.js";
import type { RolloutState } from "../../core/rollout/model.js";

/** Where LaunchDarkly's REST API is and what it changes. */
export interface LdRestOptions {
  /** e.g. https://app.launchdarkly.com */
  baseUri: string;
  apiToken: string;
  projectKey: string;
  environmentKey: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The media type of LaunchDarkly's semantic patch. */
export const SEMANTIC_PATCH_TYPE = "application/json; domain-model=launchdarkly.semanticpatch";

/** One instruction of a semantic patch changing the fallthrough (default rule). */
export type FallthroughInstruction =
  | { kind: "updateFallthroughVariationOrRollout"; variationId: string }
  | {
      kind: "updateFallthroughVariationOrRollout";
      rolloutWeights: Record<string, number>;
      rolloutBucketBy: "key";
      rolloutContextKind: "user";
    };

interface LdVariation {
  _id: string;
  value: unknown;
}

/**
 * The instruction that makes a flag serve `state`: a two-way rollout (candidate, stable) bucketed by key while
 * ramping, else stable to everyone. Variation ids come from the flag, looked up by value (the version number).
 */
export function fallthroughInstruction(
  state: RolloutState,
  variations: readonly LdVariation[],
  flagKey: string,
): FallthroughInstruction {
  const idOf = (version: number): string => {
    const found = variations.find((v) => v.value === version);
    if (found === undefined) {
      throw new StructregError(
        "SR_ROLLOUT_FLAG_UPDATE_FAILED",
        `LaunchDarkly flag ${flagKey} has no variation with the value ${version}`,
        { hint: `add a variation with the number ${version} to the flag in LaunchDarkly, then retry` },
      );
    }
    return found._id;
  };
  const stableId = idOf(state.stable);
  if (state.stage !== "ramping" || state.candidate === null) {
    return { kind: "updateFallthroughVariationOrRollout", variationId: stableId };
  }
  const weight = candidateWeight(state.percent);
  const rolloutWeights: Record<string, number> = {};
  for (const v of variations) rolloutWeights[v._id] = 0;
  rolloutWeights[idOf(state.candidate)] = weight;
  rolloutWeights[stableId] = ROLLOUT_WEIGHT_TOTAL - weight;
  return {
    kind: "updateFallthroughVariationOrRollout",
    rolloutWeights,
    rolloutBucketBy: "key",
    rolloutContextKind: "user",
  };
}

/** Changes a flag's fallthrough through LaunchDarkly's REST API (GET the flag's variations, PATCH the rule). */
export function createLdRestClient(options: LdRestOptions) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const flagUrl = (flagKey: string) =>
    new URL(
      `/api/v2/flags/${encodeURIComponent(options.projectKey)}/${encodeURIComponent(flagKey)}`,
      options.baseUri,
    );

  async function call(url: URL, init: RequestInit, what: string): Promise<unknown> {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (err) {
      throw failed(`${what}: LaunchDarkly did not answer (${(err as Error).message})`, err);
    }
    if (!response.ok) throw failed(`${what}: LaunchDarkly answered ${response.status} ${text.slice(0, 300)}`);
    return text === "" ? {} : JSON.parse(text);
  }

  return {
    /** Makes the flag of `state` serve it; throws SR_ROLLOUT_FLAG_UPDATE_FAILED when LaunchDarkly refuses. */
    async applyRollout(flagKey: string, state: RolloutState, comment: string): Promise<void> {
      const auth = { Authorization: options.apiToken };
      const flag = (await call(flagUrl(flagKey), { headers: auth }, `reading flag ${flagKey}`)) as {
        variations?: LdVariation[];
      };
      const instruction = fallthroughInstruction(state, flag.variations ?? [], flagKey);
      const body = { environmentKey: options.environmentKey, comment, instructions: [instruction] };
      await call(
        flagUrl(flagKey),
        {
          method: "PATCH",
          headers: { ...auth, "Content-Type": SEMANTIC_PATCH_TYPE },
          body: JSON.stringify(body),
        },
        `changing flag ${flagKey}`,
      );
    },
  };
}

/** The REST client's type. */
export type LdRestClient = ReturnType<typeof createLdRestClient>;

function failed(message: string, cause?: unknown): StructregError {
  return new StructregError("SR_ROLLOUT_FLAG_UPDATE_FAILED", message, {
    hint: "check LD_API_TOKEN, LD_PROJECT_KEY and LD_ENVIRONMENT_KEY, or change the flag in LaunchDarkly",
    ...(cause === undefined ? {} : { cause }),
  });
}
