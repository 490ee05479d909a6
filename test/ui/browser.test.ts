/**
 * The console in a real browser: Chromium (playwright-core) against a real server (buildApp + listen over
 * PGlite in a temp dir). Skipped, with a message, when no Chromium is installed; CI installs one.
 */
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { axeViolations, findChromium, launchChromium, watchedPage } from "./browser-helpers.js";
import { type ConsoleFixture, startConsoleFixture } from "./fixture.js";

const CHROMIUM = findChromium();
if (CHROMIUM === undefined) {
  console.warn(
    "[console browser suite] skipped: no Chromium found (set STRUCTREG_CHROMIUM or install /usr/bin/chromium)",
  );
}
const SHOTS = new URL("../../docs/screenshots/", import.meta.url);

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
    ["diff", "/ui/subjects/invoice/diff?from=1&to=3"],
    ["rollout", "/ui/subjects/invoice/rollout"],
    ["bad-cases", "/ui/subjects/invoice/bad-cases"],
    ["sample", "/ui/bad-cases/2"],
    ["check", "/ui/check?subject=invoice"],
  ];

  test.each(VIEWS)("the %s view loads with a CSP, logs no error and passes axe", async (name, path) => {
    const { page, errors } = await watchedPage(context);
    const response = await page.goto(fixture.url + path);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await page.waitForFunction(() => (globalThis as { structregConsole?: unknown }).structregConsole !== undefined);
    await page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: false });
    expect(errors).toEqual([]);
    expect(await axeViolations(browser, fixture.url + path)).toEqual([]);
    await page.close();
  });
});
