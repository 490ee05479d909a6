/**
 * Derives TypeScript types from the route JSON Schemas (`as const`), so the schemas stay the one
 * source of truth for wire shapes. Covers the subset of JSON Schema the routes use.
 */
export type FromSchema<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { const: infer C }
    ? C
    : S extends { type: "string" }
      ? string
      : S extends { type: "integer" | "number" }
        ? number
        : S extends { type: "boolean" }
          ? boolean
          : S extends { type: "array"; items: infer I }
            ? FromSchema<I>[]
            : S extends { type: "object"; properties: infer P }
              ? ObjectFromSchema<P, S extends { required: readonly (infer R)[] } ? R : never>
              : S extends { type: "object" }
                ? Record<string, unknown>
                : unknown;

type ObjectFromSchema<P, R> = Simplify<
  { -readonly [K in keyof P & R]: FromSchema<P[K]> } & {
    -readonly [K in Exclude<keyof P, R>]?: FromSchema<P[K]>;
  }
>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
