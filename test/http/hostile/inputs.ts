/** Hostile inputs: path segments and bodies, each named so a failure says which one. */

/** A request variant: what replaces the sample's path or body. */
export interface Variant {
  name: string;
  path?: string;
  body?: string | Buffer;
  contentType?: string;
}

/** Subject names no route may take (or, when valid, one that does not exist). */
export const HOSTILE_SUBJECTS: ReadonlyArray<[string, string]> = [
  ["a huge name", "a".repeat(10_000)],
  ["a name one over the length limit", "a".repeat(256)],
  ["a unicode name", encodeURIComponent("ünïcødé-名前-😀")],
  ["..", ".."],
  [".%2E", ".%2E"],
  ["an encoded slash", "a%2Fb"],
  ["an encoded NUL", "a%00b"],
  ["an encoded backslash", "a%5Cb"],
  ["an overlong UTF-8 slash", "a%C0%AFb"],
  ["invalid percent-encoding", "a%ZZb"],
  ["a lone surrogate (CESU bytes)", "a%ED%A0%80b"],
  ["a space and quote", "a%20%22b"],
];

export const HOSTILE_VERSIONS: ReadonlyArray<[string, string]> = [
  ["a version past int32", "2147483648"],
  ["a huge version", "9".repeat(400)],
  ["a negative version", "-2"],
  ["an exponent", "1e3"],
  ["a float", "1.5"],
  ["an encoded NUL", "1%00"],
  ["..", ".."],
];

export const HOSTILE_IDS: ReadonlyArray<[string, string]> = [
  ["an id past int64", "99999999999999999999"],
  ["an id past 2^53", "9007199254740993"],
  ["a negative id", "-1"],
  ["zero", "0"],
  ["an encoded NUL", "1%00"],
  ["hex", "0x10"],
];

/** Bodies that are invalid for every route (malformed, refused types, past the limit, …). */
export function hostileBodies(sample: unknown, limitBytes: number): Variant[] {
  const text = JSON.stringify(sample ?? { a: 1 });
  const depth = 50_000;
  return [
    { name: "malformed JSON", body: '{"schema": ' },
    { name: "a truncated body", body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) },
    { name: "text/plain", body: text, contentType: "text/plain" },
    { name: "a form", body: "schema=x&reason=y", contentType: "application/x-www-form-urlencoded" },
    { name: "multipart", body: "--b\r\n\r\nx\r\n--b--", contentType: "multipart/form-data; boundary=b" },
    { name: "a body past the limit", body: `{"x":"${"a".repeat(limitBytes)}"}` },
    { name: "deeply nested arrays", body: `${"[".repeat(depth)}${"]".repeat(depth)}` },
    { name: "deeply nested objects", body: `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}` },
    { name: "a very wide object", body: JSON.stringify(Object.fromEntries(wide(10_000))) },
    { name: "a __proto__ key", body: '{"__proto__": {"polluted": true}, "schema": "{}"}' },
    { name: "a constructor.prototype key", body: '{"constructor": {"prototype": {"polluted": true}}}' },
    {
      name: "invalid UTF-8",
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    },
    { name: "lone surrogates", body: '{"\\ud800": "\\udfff\\ud800"}' },
    { name: "NUL characters", body: '{"\\u0000": "\\u0000"}' },
    { name: "numbers out of range", body: withHugeNumbers(sample) },
    { name: "a JSON scalar", body: "12345678901234567890123456789" },
    { name: "JSON null", body: "null" },
  ];
}

function wide(n: number): Array<[string, number]> {
  return Array.from({ length: n }, (_, i) => [`k${i}`, i]);
}

/** The sample with every number replaced by one out of every range (1e400 parses as Infinity). */
function withHugeNumbers(sample: unknown): string {
  const text = JSON.stringify(sample ?? {}).replace(/(?<=[:[,])-?\d+(\.\d+)?/g, "1e400");
  return text.includes("1e400") ? text : '{"n": 1e400, "m": -1e400, "i": 18446744073709551616}';
}

/** Schema texts that must be refused (or accepted only where they are actually fine), for schema routes. */
export function hostileSchemas(): Array<[string, unknown]> {
  const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p${i}`, { type: "string" }]));
  return [
    ["a $ref cycle", { $ref: "#/$defs/a", $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } } }],
    ["a self $ref", { type: "object", properties: { x: { $ref: "#" } } }],
    ["a remote $ref", { type: "object", properties: { x: { $ref: "https://example.com/s.json" } } }],
    ["a file $ref", { type: "object", properties: { x: { $ref: "file:///etc/passwd" } } }],
    ["a dangling $ref", { type: "object", properties: { x: { $ref: "#/$defs/missing" } } }],
    [
      "thousands of properties",
      { type: "object", properties: many, required: Object.keys(many), additionalProperties: false },
    ],
    [
      "an enum of thousands of members",
      { type: "string", enum: Array.from({ length: 20_000 }, (_, i) => `v${i}`) },
    ],
    ["a __proto__ property", JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}')],
    ["an invalid pattern", { type: "string", pattern: "(" }],
    ["a huge minimum", { type: "number", minimum: 1e308, maximum: -1e308 }],
    ["not an object", ["type", "object"]],
  ];
}

/** Cases that hang without the fixes of other branches: catastrophic regexes (`regex`), $ref walks (`walks`). */
export function dependentSchemas(): Array<[string, string, unknown]> {
  const defs: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) {
    defs[`n${i}`] = {
      type: "object",
      properties: { a: { $ref: `#/$defs/n${i + 1}` }, b: { $ref: `#/$defs/n${i + 1}` } },
    };
  }
  defs.n40 = { type: "string" };
  return [
    [
      "regex",
      "a catastrophic patternProperties regex",
      { type: "object", patternProperties: { "^(?:\\w|[a-z_]|[^-]|.)*-$": { type: "string" } } },
    ],
    ["regex", "a catastrophic pattern", { type: "string", pattern: "^(a|a)*$" }],
    ["walks", "a $defs chain referencing each next node twice", { $ref: "#/$defs/n0", $defs: defs }],
  ];
}
