/**
 * The console in a real browser: Chromium (playwright-core) against a real server (buildApp + listen over
 * PGlite in a temp dir). Skipped, with a message, when no Chromium is installed; CI installs one.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeOnPage, axeViolations, findChromium, launchChromium, watchedPage } from "./browser-helpers.js";
import { type ConsoleFixture, startConsoleFixture } from "./fixture.js";

const CHROMIUM = findChromium();
if (CHROMIUM === undefined) {
  console.warn(
    "[console browser suite] skipped: no Chromium found (set STRUCTREG_CHROMIUM or install /usr/bin/chromium)",
  );
}
/** Text of the focused element (evaluated in the page). */
const ACTIVE_TEXT = "document.activeElement && document.activeElement.textContent";
/**
 * Where screenshots go: the README's committed ones (test/ui/screenshots) with STRUCTREG_SCREENSHOTS=1,
 * else a temp folder, so an ordinary test run takes them without changing the work tree.
 */
const SHOTS =
  process.env.STRUCTREG_SCREENSHOTS === "1"
    ? new URL("./screenshots/", import.meta.url)
    : pathToFileURL(`${mkdtempSync(path.join(tmpdir(), "structreg-shots-"))}/`);

describe.skipIf(CHROMIUM === undefined)("console in a browser", () => {
  let fixture: ConsoleFixture;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    fixture = await startConsoleFixture();
    browser = await launchChromium(CHROMIUM as string);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  const VIEWS: Array<[string, string]> = [
    ["subjects", "/ui/"],
    ["subject", "/ui/subjects/invoice"],
    ["subject-tree", "/ui/subjects/invoice?form=tree"],
    ["diff", "/ui/subjects/invoice/diff?from=1&to=3"],
    ["rollout", "/ui/subjects/invoice/rollout"],
    ["bad-cases", "/ui/subjects/invoice/bad-cases"],
    ["sample", "/ui/bad-cases/2"],
    ["check", "/ui/check?subject=invoice"],
    ["playground", "/ui/playground?subject=invoice"],
    ["timeline", "/ui/subjects/invoice/timeline"],
    ["settings", "/ui/settings?subject=invoice"],
  ];

  test.each(VIEWS)("the %s view loads with a CSP, logs no error and passes axe", async (name, path) => {
    const { page, errors } = await watchedPage(context);
    const response = await page.goto(fixture.url + path);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await page.waitForFunction(
      () => (globalThis as { structregConsole?: unknown }).structregConsole !== undefined,
    );
    await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: false });
    expect(errors).toEqual([]);
    expect(await axeViolations(browser, fixture.url + path)).toEqual([]);
    await page.close();
  });

  test.each(["/ui/", "/ui/subjects/invoice/diff", "/ui/subjects/invoice/rollout", "/ui/bad-cases/2"])(
    "%s passes axe in the dark theme too",
    async (path) => {
      expect(await axeViolations(browser, fixture.url + path, "dark")).toEqual([]);
    },
  );

  test("works with the keyboard alone: skip link, then a difference's path moves focus to its line", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/subjects/invoice/diff?from=2&to=3`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(ACTIVE_TEXT)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    let focused = "";
    for (let i = 0; i < 40 && focused !== "/properties/note"; i++) {
      await page.keyboard.press("Tab");
      focused = (await page.evaluate(ACTIVE_TEXT)) ?? "";
    }
    expect(focused).toBe("/properties/note");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.evaluate("document.activeElement && document.activeElement.id"))
      .toMatch(/^diff-row-\d+$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the playground validates a pasted output as a dry run", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/playground?subject=invoice`);
    await page
      .locator("#p-output")
      .fill('Sure! ```json\n{"total": "12.50", "currency": "eur", "note": null}\n```');
    await page.getByRole("button", { name: "Validate (dry run)" }).click();
    await expect.poll(() => page.locator("#play-result").textContent()).toContain("Accepted");
    expect(await page.locator("#play-result").textContent()).toContain("tolerant");
    await page.screenshot({ path: new URL("playground-result.png", SHOTS).pathname });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a browser opening / lands on the console", async () => {
    const { page } = await watchedPage(context);
    await page.goto(`${fixture.url}/`);
    expect(new URL(page.url()).pathname).toBe("/ui/");
    await page.close();
  });

  test("the subjects view is usable at phone width", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const { page, errors } = await watchedPage(phone);
    await page.goto(`${fixture.url}/ui/?q=total`);
    await expect.poll(() => page.getByRole("link", { name: "invoice" }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: new URL("subjects-phone.png", SHOTS).pathname });
    expect(errors).toEqual([]);
    await phone.close();
  });

  test("compares two versions and names the difference; its path scrolls to the line", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/subjects/invoice`);
    await page.getByRole("button", { name: "Compare v2 → v3" }).click();
    await page.waitForURL(/\/diff\?from=2&to=3/);
    const kind = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL";
    await expect.poll(() => page.getByText(kind).count()).toBe(1);
    await page.getByRole("link", { name: "/properties/note" }).first().click();
    await expect.poll(() => page.locator("tr.diff-row.target").count()).toBe(1);
    expect(await page.locator("tr.diff-row.target").textContent()).toContain('"note"');
    expect(errors).toEqual([]);
    await page.close();
  });

  test("registers a schema through the check view", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/check?subject=receipt`);
    const draft = JSON.parse(await page.locator("#schema").inputValue());
    draft.properties.currency.enum.push("CHF");
    await page.locator("#schema").fill(JSON.stringify(draft, null, 2));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await expect
      .poll(() => page.locator("#check-result").textContent())
      .toContain("it would become receipt v2");
    await page.screenshot({ path: new URL("check-result.png", SHOTS).pathname, fullPage: true });
    await page.getByRole("button", { name: "Register" }).click();
    await page.waitForURL(/\/ui\/subjects\/receipt\?version=2/);
    expect(await page.locator("main").textContent()).toContain("CHF");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("the schema tree: a toggle away, and its nodes open and close with the keyboard", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/subjects/invoice`);
    expect(await page.locator(".schema-tree").isVisible()).toBe(false);
    await page.getByRole("button", { name: "Tree", exact: true }).click();
    expect(await page.locator(".schema-tree").isVisible()).toBe(true);
    expect(await page.locator("pre.schema").first().isVisible()).toBe(false);
    const currency = page
      .locator(".schema-tree summary")
      .filter({ has: page.locator(".tree-key", { hasText: /^currency$/ }) });
    const details = currency.locator("xpath=..");
    expect(await details.getAttribute("open")).toBeNull(); // two levels open at first, deeper ones closed
    await currency.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => details.getAttribute("open")).toBe("");
    expect(await details.textContent()).toContain('"GBP"');
    await page.keyboard.press("Enter");
    await expect.poll(() => details.getAttribute("open")).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a schema file dropped on the check view (or chosen with the file input) fills the draft", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/check?subject=invoice`);
    const drop = async (name: string, text: string) => {
      const dataTransfer = await page.evaluateHandle(
        ([fileName, body]) => {
          // Page globals (the test's tsconfig has no DOM lib).
          const dom = globalThis as unknown as {
            DataTransfer: new () => { items: { add(file: unknown): void } };
            File: new (parts: string[], name: string, options: { type: string }) => unknown;
          };
          const transfer = new dom.DataTransfer();
          transfer.items.add(
            new dom.File([body as string], fileName as string, { type: "application/json" }),
          );
          return transfer;
        },
        [name, text],
      );
      await page.dispatchEvent("#schema", "dragover", { dataTransfer });
      await page.dispatchEvent("#schema", "drop", { dataTransfer });
    };
    const dropped = JSON.stringify({ type: "object", properties: { dropped: { type: "string" } } });
    await drop("draft.json", dropped);
    await expect.poll(() => page.locator("#schema").inputValue()).toBe(dropped);
    expect(await page.locator("#schema-file-status").textContent()).toContain("Loaded draft.json");
    await drop("notes.txt", "not json at all");
    await expect.poll(() => page.locator("#schema-file-status").textContent()).toContain("not JSON");
    expect(await page.locator("#schema").inputValue()).toBe(dropped);
    const chosen = JSON.stringify({ type: "object", properties: { chosen: { type: "integer" } } });
    await page.locator("#schema-file").setInputFiles({
      name: "chosen.json",
      mimeType: "application/json",
      buffer: Buffer.from(chosen),
    });
    await expect.poll(() => page.locator("#schema").inputValue()).toBe(chosen);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("evidence counts the subject's quarantined and accepted outputs under the draft (and passes axe)", async () => {
    await fixture.services.acceptedSamples?.flush();
    // axe is injected, so this page runs without the CSP (the CSP itself is checked on every view above).
    const audited = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const { page, errors } = await watchedPage(audited);
    await page.goto(`${fixture.url}/ui/check?subject=invoice`);
    await page.getByRole("button", { name: /Replay recent outputs/ }).click();
    const result = page.locator("#evidence-result");
    await expect.poll(() => result.textContent()).toContain("Accepted (");
    expect(Number(await result.locator('[data-evidence="accepted-accept"]').textContent())).toBeGreaterThan(
      0,
    );
    expect(await result.textContent()).toMatch(/Quarantined \(\d+\)/);
    await page.screenshot({ path: new URL("check-evidence.png", SHOTS).pathname, fullPage: true });
    expect(await axeOnPage(page)).toEqual([]);
    expect(errors).toEqual([]);
    await audited.close();
  });

  test("the timeline shows a state change, a delete and a settings change with who and why", async () => {
    const { page, errors, prompt } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/subjects/receipt`);
    const v1 = () => page.locator("tbody tr", { has: page.locator("#state-1") });
    prompt.answer = "CHF is in v2 now";
    await page.locator("#state-1").selectOption("DEPRECATED");
    await v1().getByRole("button", { name: "Set state" }).click();
    await expect.poll(() => v1().textContent()).toContain("DEPRECATED");
    prompt.answer = "";
    await v1().getByRole("button", { name: "Soft-delete", exact: true }).click();
    await expect.poll(() => page.locator("tbody").textContent()).toContain("soft-deleted");
    await page.goto(`${fixture.url}/ui/settings?subject=receipt`);
    prompt.answer = "receipts must stay readable both ways";
    await page.locator("#subject-level").selectOption("FULL");
    await page
      .locator("form", { has: page.locator("#subject-level") })
      .getByRole("button", { name: "Save" })
      .click();
    const kinds = async () => (await fixture.services.registry.listEvents("receipt")).map((e) => e.kind);
    await expect.poll(kinds).toContain("config-changed");
    await page.goto(`${fixture.url}/ui/subjects/receipt/timeline`);
    const timeline = (await page.locator("ol.timeline").textContent()) ?? "";
    expect(timeline).toContain("state of v1 changed");
    expect(timeline).toContain("state: ENABLED → DEPRECATED");
    expect(timeline).toContain("CHF is in v2 now");
    expect(timeline).toContain("v1 soft-deleted");
    expect(timeline).toContain("settings changed");
    expect(timeline).toContain("compatibility: inherited → FULL");
    expect(timeline).toContain("receipts must stay readable both ways");
    expect(timeline).toContain("registered v2 by local");
    await page.screenshot({ path: new URL("timeline.png", SHOTS).pathname, fullPage: true });
    expect(errors).toEqual([]);
    expect(await axeViolations(browser, `${fixture.url}/ui/subjects/receipt/timeline`)).toEqual([]);
    await page.close();
  });

  test("ramps a rollout to 10%, rolls it back, and shows both in the history", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/subjects/invoice/rollout`);
    await page.locator("#candidate").selectOption("3");
    await page.locator("#set-reason").fill("try v3 on a tenth of keys");
    await page.getByRole("button", { name: "Ramp to 10%" }).click();
    const stage = () => page.locator("#rollout-live").getAttribute("data-stage");
    await expect.poll(stage, { timeout: 15_000 }).toBe("ramping");
    expect(await page.locator("#rollout-live").textContent()).toContain("10%");
    for (let i = 0; i < 30; i++)
      await fixture.services.validation.validate("invoice", '{"total": 1}', { key: `k${i}` });
    await expect.poll(() => page.locator("#rollout-live table").count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: new URL("rollout-ramping.png", SHOTS).pathname, fullPage: true });
    await page.locator("#rollback-reason").fill("too many failures");
    await page.getByRole("button", { name: /Roll back to v2/ }).click();
    await expect.poll(stage, { timeout: 15_000 }).toBe("rolled_back");
    const history = (await page.locator("ol.timeline").textContent()) ?? "";
    expect(history).toContain("set by console");
    expect(history).toContain("rollback by console");
    expect(history).toContain("too many failures");
    expect(errors).toEqual([]);
    await page.close();
  });

  test("opens a quarantined sample, shows it as text, and replays it", async () => {
    const { page, errors } = await watchedPage(context);
    // The hostile sample is the oldest (#1): page past the newer ones (the rollout test added some).
    await page.goto(`${fixture.url}/ui/subjects/invoice/bad-cases?cursor=2`);
    await page.getByRole("link", { name: "#1", exact: true }).click();
    await page.waitForURL(/\/ui\/bad-cases\/1$/);
    // The hostile output is shown as text: no element was created from it.
    expect(await page.locator("pre.raw img").count()).toBe(0);
    expect(await page.locator("pre.raw").first().textContent()).toContain("<img src=x onerror=alert(2)>");
    await page.getByRole("button", { name: "Replay", exact: true }).click();
    await expect.poll(() => page.locator("#replay-result").textContent()).toContain("still failing (of 1)");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.skipIf(CHROMIUM === undefined)("console in a browser with tokens", () => {
  let fixture: ConsoleFixture;
  let browser: Browser;

  beforeAll(async () => {
    fixture = await startConsoleFixture({
      tokens: [{ name: "reader", secret: "read-secret", scopes: ["read"] }],
    });
    browser = await launchChromium(CHROMIUM as string);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  test("a read token signs in, sees no write control and cannot use one", async () => {
    const context = await browser.newContext();
    const { page, errors } = await watchedPage(context);
    await page.goto(`${fixture.url}/ui/subjects/invoice/rollout`);
    await page.waitForURL(/\/ui\/login/);
    await page.locator("#token").fill("read-secret");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/ui\/subjects\/invoice\/rollout$/);
    expect(page.url()).not.toContain("read-secret");
    expect(await page.getByRole("button", { name: /Roll back/ }).count()).toBe(0);
    expect(await page.getByText("Your token may only read").count()).toBe(1);
    await page.goto(`${fixture.url}/ui/check`);
    expect(await page.getByRole("button", { name: "Register" }).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const response = await fetch("/ui/subjects/invoice/rollout/rollback", {
        method: "POST",
        headers: { "content-type": "application/json", "x-structreg-request": "console" },
        body: "{}",
      });
      return response.status;
    });
    expect(status).toBe(403);
    expect(errors.filter((e) => !e.includes("403"))).toEqual([]);
    await context.close();
  });
});
