import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { type FakeLaunchDarkly, startFakeLaunchDarkly } from "../adapters/flags/fake-launchdarkly.js";
import { INVOICE_V1, INVOICE_V2 } from "../app/generation-fixtures.js";
import { waitFor } from "../helpers/wait-for.js";
import { send } from "./helpers.js";

let services: Services | undefined;
let fake: FakeLaunchDarkly | undefined;

afterEach(async () => {
  await services?.close();
  await fake?.close();
  services = undefined;
  fake = undefined;
});

const OUTPUT = JSON.stringify({ total: 1, currency: "EUR", customer: null });

describe("LaunchDarkly mode as composed (default SDK settings), stream dropped and restored under traffic", () => {
  test("validate answers stable while the stream is down and the candidate again once it is back", async () => {
    fake = await startFakeLaunchDarkly([{ key: "structreg.invoice", variations: [2, 1], stable: 1 }]);
    services = createTestServices({
      ldSdkKey: "sdk-test-key",
      ldApiToken: "api-test-token",
      ldStreamUri: fake.url,
      ldBaseUri: fake.url,
      ldEventsUri: fake.url,
      ldApiUri: fake.url,
    });
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.register("invoice", INVOICE_V1 as never);
      await services.registry.register("invoice", INVOICE_V2 as never);
      await services.rollout.service.start();
      const put = await send(app, "PUT", "/subjects/invoice/rollout", { candidate: 2, percent: 100 });
      expect(put.statusCode).toBe(200);
      const target = async (key: string) => {
        const res = await send(app, "POST", "/subjects/invoice/validate", { output: OUTPUT, key });
        expect(res.statusCode).toBe(200);
        return res.json() as { targetVersion: number; resolution: string };
      };
      expect(await target("k0")).toMatchObject({ targetVersion: 2, resolution: "rollout:candidate" });

      let stop = false;
      let served = 0;
      const traffic = (async () => {
        for (let i = 0; !stop; i++, served++) await target(`k${i % 100}`);
      })();
      fake.dropStream();
      await waitFor("stable during the outage", async () => (await target("k0")).targetVersion === 1);
      await waitFor("reconnects refused", () => (fake?.streams().refused ?? 0) >= 1);
      for (let i = 0; i < 20; i++) {
        expect(await target(`k${i}`)).toMatchObject({ targetVersion: 1, resolution: "rollout:stable" });
      }
      fake.restoreStream();
      await waitFor("candidate after the restore", async () => (await target("k0")).targetVersion === 2);
      stop = true;
      await traffic;
      expect(served).toBeGreaterThan(0);
      expect(await target("k1")).toMatchObject({ targetVersion: 2, resolution: "rollout:candidate" });
    } finally {
      await app.close();
    }
  }, 60_000);
});
