/**
 * Security headers of every console answer. Set from the console's own onSend hook rather than through
 * @fastify/helmet: helmet adds onRequest hooks, and the API keeps its routes free of onRequest hooks when no
 * tokens are configured (a hook call and a promise per request on the validate path).
 */

/** Content-Security-Policy of every console answer: nothing inline, nothing from elsewhere, no eval. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers (helmet's defaults where they apply, with a stricter CSP and no framing at all). */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONSOLE_CSP,
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "x-permitted-cross-domain-policies": "none",
  "x-dns-prefetch-control": "off",
};
