/**
 * The one OpenAI SDK client of the process: keep-alive connections from a bounded undici pool, and no
 * retries of its own (`maxRetries: 0`: its Retry-After wait is uncapped and ignores its timeout; our
 * policies retry instead). The SDK documents that an undici `dispatcher` must be paired with undici's own
 * `fetch`, so both come from the undici package rather than Node's bundled copy.
 */
import OpenAI from "openai";
import { Agent, fetch as undiciFetch } from "undici";

/** What the SDK client is built from. */
export interface TransportOptions {
  apiKey: string;
  baseURL?: string | undefined;
  /** Connections per origin in the pool. */
  maxConnections: number;
  /** The SDK's own timeout; each attempt also carries its own abort signal. */
  timeoutMs: number;
}

/** The SDK client and the pool it owns. */
export interface Transport {
  sdk: OpenAI;
  /** Closes the pool's idle connections (in-flight requests finish first). */
  close(): Promise<void>;
}

type SdkOptions = NonNullable<ConstructorParameters<typeof OpenAI>[0]>;

/** Idle keep-alive connections are kept this long (OpenAI's edge keeps them longer). */
const KEEP_ALIVE_MS = 30_000;

/** Builds the process's OpenAI client over a bounded keep-alive pool. */
export function createTransport(options: TransportOptions): Transport {
  const agent = new Agent({
    connections: options.maxConnections,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: 10 * KEEP_ALIVE_MS,
    // A connection is reused only after its response is read: no pipelining behind a slow answer.
    pipelining: 1,
  });
  const sdk = new OpenAI({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries: 0,
    timeout: options.timeoutMs,
    // undici 7's types differ from the undici-types the SDK's declarations name; the runtime pair is undici's own.
    fetch: undiciFetch as unknown as SdkOptions["fetch"],
    fetchOptions: { dispatcher: agent } as unknown as SdkOptions["fetchOptions"],
  });
  return { sdk, close: () => agent.close() };
}
