/**
 * Polls `check` every 20 ms until it holds; throws after `timeoutMs`. The timeout is generous on purpose: it
 * bounds a hang, it is no claim about speed (machines running the tests are noisy).
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
