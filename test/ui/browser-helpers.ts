/** Playwright (playwright-core) driving the system's Chromium; no browser download. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";

/** The Chromium to drive: STRUCTREG_CHROMIUM, else Debian's /usr/bin/chromium; undefined when neither exists. */
export function findChromium(): string | undefined {
  const candidates = [process.env.STRUCTREG_CHROMIUM, "/usr/bin/chromium"].filter(
    (path): path is string => path !== undefined && path !== "",
  );
  return candidates.find((path) => existsSync(path));
}

/** Launches Chromium headless with the flags a container needs. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page that records console errors and failed requests (CSP violations show up as console errors). */
export async function watchedPage(
  context: BrowserContext,
): Promise<{ page: Page; errors: string[]; prompt: { answer: string } }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  // hx-confirm uses window.confirm, hx-prompt window.prompt: accept every one (a prompt with `prompt.answer`).
  const prompt = { answer: "" };
  page.on("dialog", (dialog) => void dialog.accept(dialog.type() === "prompt" ? prompt.answer : undefined));
  return { page, errors, prompt };
}

const AXE = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

/** Serious or critical axe violations of a page as it is now (its context must bypass the CSP). */
export async function axeOnPage(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as AxeResult;
  return seriousViolations(result);
}

type AxeResult = {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }>;
};

function seriousViolations(result: AxeResult): string[] {
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
    );
}

/** Serious or critical axe violations of the page at `url` (audited in a CSP-bypassing context only). */
export async function axeViolations(browser: Browser, url: string, colorScheme: "light" | "dark" = "light") {
  const context = await browser.newContext({
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    colorScheme,
  });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.addScriptTag({ path: AXE });
    return await axeOnPage(page);
  } finally {
    await context.close();
  }
}
