/** A fetch that forwards to the real one and records every request; `fail` makes it throw like a dead network. */
export interface CountingFetch {
  fetch: typeof fetch;
  requests: Array<{ method: string; path: string; body: string | undefined }>;
  fail: boolean;
}

/** Wraps global fetch with a request log and an on/off network failure. */
export function countingFetch(): CountingFetch {
  const state: CountingFetch = {
    requests: [],
    fail: false,
    fetch: (async (input: URL | string | Request, init?: RequestInit) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      const body = typeof init?.body === "string" ? init.body : undefined;
      state.requests.push({ method: init?.method ?? "GET", path: url.pathname + url.search, body });
      if (state.fail) throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      return fetch(input, init);
    }) as typeof fetch,
  };
  return state;
}
