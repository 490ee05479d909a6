import type { FastifyInstance } from "fastify";
import { StructregError } from "../core/errors.js";
import type { HttpToken } from "./auth.js";

/** Where and how to listen. */
export interface ServerOptions {
  host: string;
  port: number;
  /** The tokens the app was built with; without any, only loopback addresses may be bound. */
  tokens: readonly HttpToken[];
  /** Bind a non-loopback address without tokens anyway (anyone who can reach it can change schemas). */
  allowInsecureBind?: boolean;
}

/** True for 127.0.0.0/8, ::1 (also bracketed or IPv4-mapped) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  const match = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  return match?.slice(1).every((octet) => Number(octet) <= 255) ?? false;
}

/**
 * Listens and returns the URL. Without tokens it binds loopback addresses only (and logs so), unless
 * `allowInsecureBind`; any other address throws SR_UNSAFE_BIND.
 */
export async function startServer(app: FastifyInstance, options: ServerOptions): Promise<string> {
  const { host, port } = options;
  const secured = options.tokens.length > 0;
  if (secured && app.hasDecorator("structregAuthEnabled") && !app.structregAuthEnabled) {
    throw new StructregError("SR_CONFIG_INVALID", "Tokens were given to startServer but not to buildApp", {
      hint: "pass the same tokens to buildApp({ options: { tokens } })",
    });
  }
  if (!secured) {
    if (isLoopbackHost(host)) {
      app.log.info({ host }, "no API tokens configured: listening on a loopback address only");
    } else if (options.allowInsecureBind === true) {
      app.log.warn({ host }, "no API tokens configured and binding a non-loopback address: anyone can write");
    } else {
      throw new StructregError("SR_UNSAFE_BIND", `Refusing to bind ${host} without API tokens`, {
        hint: "configure tokens, bind 127.0.0.1, or allow an insecure bind explicitly",
      });
    }
  }
  return app.listen({ host, port });
}
