/** Bounded concurrency for the import's requests. */

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight and yields the results in the items'
 * order. `items` may grow while it runs (references found late join the queue).
 */
export async function* mapOrdered<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  let next = 0;
  const fill = () => {
    while (pending.length < concurrency && next < items.length) {
      const promise = fn(items[next++] as T);
      promise.catch(() => {}); // observed when its turn comes; never an unhandled rejection meanwhile
      pending.push(promise);
    }
  };
  fill();
  while (pending.length > 0) {
    const result = await (pending.shift() as Promise<R>);
    yield result;
    fill();
  }
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; rejects with the first failure. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  for await (const _ of mapOrdered([...items], concurrency, fn)) {
    // results are not needed: mapOrdered bounds the calls in flight and surfaces the first error
  }
}
