/** An edge of the bipartite graph: original subschema `from` can be read as update subschema `to`. */
export interface Edge<T> {
  from: number;
  to: number;
  value: T;
}

/**
 * Maximum-cardinality bipartite matching (Kuhn's augmenting paths). Edges are tried in the order given,
 * so callers list cheaper edges first and get a matching that prefers them.
 */
export function maximumMatching<T>(edges: readonly Edge<T>[], left: number, right: number): Edge<T>[] {
  const byLeft: Edge<T>[][] = Array.from({ length: left }, () => []);
  for (const e of edges) byLeft[e.from]!.push(e);
  const matchOfRight: Array<Edge<T> | undefined> = new Array(right).fill(undefined);

  const augment = (u: number, seen: boolean[]): boolean => {
    for (const e of byLeft[u]!) {
      if (seen[e.to]) continue;
      seen[e.to] = true;
      const current = matchOfRight[e.to];
      if (current === undefined || augment(current.from, seen)) {
        matchOfRight[e.to] = e;
        return true;
      }
    }
    return false;
  };

  for (let u = 0; u < left; u++) augment(u, new Array(right).fill(false));
  return matchOfRight.filter((e): e is Edge<T> => e !== undefined).sort((a, b) => a.from - b.from);
}
