/**
 * Rewrites a JSON Schema regular expression (ECMA-262 syntax with the `u` flag) into RE2 syntax with the
 * same meaning, so that a linear-time engine can run it. The input must already compile as
 * `new RegExp(source, "u")` (compiling never backtracks; only matching does): that syntax has no lone
 * `{`, `}` or `]`, so one left-to-right scan can tell every token apart.
 *
 * Where the dialects differ the output spells out the ECMAScript meaning: `.` excludes \r, U+2028 and
 * U+2029 as well as \n; `\s` is ECMAScript's Unicode white space; `[^]` and `[]` match any and no code
 * point; `[` inside a class is literal (RE2 would read `[:alpha:]`); long Unicode property names become
 * RE2's short ones. What RE2 cannot run at all (backreferences, lookaround, some properties) is refused
 * with a reason.
 */

/** The RE2 form of a pattern, or why RE2 cannot run it. */
export type Re2Translation =
  /**
   * `exact`: the pattern was `^…$` with no top-level `|`, and `source` is what lies between the anchors, to be
   * matched against the whole input (RE2's anchored match runs about twice as fast as a search for `^…$`).
   */
  { ok: true; source: string; exact: boolean } | { ok: false; reason: string };

type Range = readonly [number, number];

const MAX_CODE_POINT = 0x10ffff;
// ECMAScript's WhiteSpace and LineTerminator code points (what `\s` matches), sorted.
const SPACE: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: readonly Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

const hex = (cp: number) => `\\x{${cp.toString(16).toUpperCase()}}`;
const rangesText = (ranges: readonly Range[]) =>
  ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("");

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const SPACE_TEXT = rangesText(SPACE);
const NOT_SPACE_TEXT = rangesText(complement(SPACE));
const ANY_TEXT = rangesText([[0, MAX_CODE_POINT]]);
const DOT = `[^${rangesText(LINE_TERMINATORS)}]`;

// General_Category long names (and ECMAScript's other aliases) → the short names RE2 knows.
// biome-ignore format: a table reads best packed
const CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  Other: "C", Control: "Cc", cntrl: "Cc", Format: "Cf", Unassigned: "Cn", Private_Use: "Co",
  Surrogate: "Cs", Letter: "L", Cased_Letter: "LC", Lowercase_Letter: "Ll", Modifier_Letter: "Lm",
  Other_Letter: "Lo", Titlecase_Letter: "Lt", Uppercase_Letter: "Lu", Mark: "M", Combining_Mark: "M",
  Spacing_Mark: "Mc", Enclosing_Mark: "Me", Nonspacing_Mark: "Mn", Number: "N", Decimal_Number: "Nd",
  digit: "Nd", Letter_Number: "Nl", Other_Number: "No", Punctuation: "P", punct: "P",
  Connector_Punctuation: "Pc", Dash_Punctuation: "Pd", Close_Punctuation: "Pe", Final_Punctuation: "Pf",
  Initial_Punctuation: "Pi", Other_Punctuation: "Po", Open_Punctuation: "Ps", Symbol: "S",
  Currency_Symbol: "Sc", Modifier_Symbol: "Sk", Math_Symbol: "Sm", Other_Symbol: "So", Separator: "Z",
  Line_Separator: "Zl", Paragraph_Separator: "Zp", Space_Separator: "Zs",
};
const CATEGORIES = new Set(Object.values(CATEGORY_ALIASES));
// Binary properties that are plain ranges; every other binary property is refused.
const BINARY_RANGES: Readonly<Record<string, readonly Range[]>> = {
  ASCII: [[0, 0x7f]],
  ASCII_Hex_Digit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** Translates an ECMAScript `u`-flag pattern (already known to compile) into RE2 syntax. */
export function translateToRe2(pattern: string): Re2Translation {
  return new Translator(pattern).run();
}

/** One token's RE2 text and how many UTF-16 units of the source it consumed, or why RE2 cannot run it. */
type Piece = { text: string; advance: number } | { reason: string };

const piece = (text: string, advance: number): Piece => ({ text, advance });

class Translator {
  private i = 0;
  private inClass = false;

  constructor(private readonly pattern: string) {}

  run(): Re2Translation {
    let out = "";
    let depth = 0;
    let topLevelAlternation = false;
    let endAnchor = false;
    while (this.i < this.pattern.length) {
      const ch = this.pattern[this.i] as string;
      const outside = !this.inClass;
      const next = this.step();
      if ("reason" in next) return { ok: false, reason: next.reason };
      // Outside a class, `(` opens a group, `)` closes one, `|` and `$` are what they seem (escapes go elsewhere).
      if (outside && ch === "(") depth++;
      if (outside && ch === ")") depth--;
      if (outside && ch === "|" && depth === 0) topLevelAlternation = true;
      endAnchor = outside && ch === "$";
      out += next.text;
      this.i += next.advance;
    }
    // `^` can only be an anchor as the first character (a class would start with `[`); `$` cannot be quantified.
    const exact = this.pattern.startsWith("^") && endAnchor && !topLevelAlternation && out.length >= 2;
    return { ok: true, source: exact ? out.slice(1, -1) : out, exact };
  }

  private step(): Piece {
    const ch = this.pattern[this.i] as string;
    if (ch === "\\") return this.escape();
    if (this.inClass) return this.classChar(ch);
    if (ch === "[") return this.openClass();
    if (ch === "(") return this.group();
    return ch === "." ? piece(DOT, 1) : this.literal();
  }

  /** One code point as written: ASCII as is (its meaning is the same in both), the rest as `\x{…}`. */
  private literal(): Piece {
    const cp = this.pattern.codePointAt(this.i) as number;
    return piece(cp < 0x80 ? String.fromCharCode(cp) : hex(cp), cp > 0xffff ? 2 : 1);
  }

  private classChar(ch: string): Piece {
    if (ch === "]") {
      this.inClass = false;
      return piece("]", 1);
    }
    // `[` is literal inside an ECMAScript class; RE2 would start a POSIX class such as [:alpha:].
    return ch === "[" ? piece("\\[", 1) : this.literal();
  }

  private openClass(): Piece {
    // ECMAScript's `[]` matches nothing and `[^]` anything; RE2 would read `]` as the first member.
    if (this.pattern.startsWith("[]", this.i)) return piece(`[^${ANY_TEXT}]`, 2);
    if (this.pattern.startsWith("[^]", this.i)) return piece(`[${ANY_TEXT}]`, 3);
    this.inClass = true;
    return this.pattern[this.i + 1] === "^" ? piece("[^", 2) : piece("[", 1);
  }

  /** Every group becomes non-capturing: structreg only asks whether a pattern matches. */
  private group(): Piece {
    const rest = this.pattern.slice(this.i, this.i + 4);
    if (rest.startsWith("(?=") || rest.startsWith("(?!"))
      return { reason: "it uses a lookahead ((?= or (?!)" };
    if (rest.startsWith("(?<=") || rest.startsWith("(?<!")) {
      return { reason: "it uses a lookbehind ((?<= or (?<!)" };
    }
    if (rest.startsWith("(?<")) return piece("(?:", this.pattern.indexOf(">", this.i) + 1 - this.i);
    if (rest.startsWith("(?:")) return piece("(?:", 3);
    if (rest.startsWith("(?")) return { reason: `it uses the group syntax ${rest.slice(0, 3)}` };
    return piece("(?:", 1);
  }

  private escape(): Piece {
    const c = this.pattern[this.i + 1] ?? "";
    if ("dDwWfnrtv".includes(c)) return piece(`\\${c}`, 2);
    if (c === "s") return piece(this.inClass ? SPACE_TEXT : `[${SPACE_TEXT}]`, 2);
    if (c === "S") return piece(this.inClass ? NOT_SPACE_TEXT : `[${NOT_SPACE_TEXT}]`, 2);
    if (c === "b") return piece(this.inClass ? hex(8) : "\\b", 2); // backspace inside a class
    if (c === "B") return piece("\\B", 2);
    if (c === "0") return piece(hex(0), 2);
    if ("123456789k".includes(c)) return { reason: "it uses a backreference (\\1 … or \\k<name>)" };
    if (c === "p" || c === "P") return this.property(c === "P");
    if (c === "u") return this.unicodeEscape();
    if (c === "x") return piece(hex(Number.parseInt(this.pattern.slice(this.i + 2, this.i + 4), 16)), 4);
    if (c === "c") return piece(hex((this.pattern.codePointAt(this.i + 2) as number) % 32), 3);
    if (c !== "" && "^$\\.*+?()[]{}|/-".includes(c)) return piece(`\\${c}`, 2);
    return { reason: `it uses the escape \\${c}` };
  }

  /** `\uXXXX`, a `\uXXXX\uXXXX` surrogate pair (one code point under the u flag) or `\u{…}`. */
  private unicodeEscape(): Piece {
    const p = this.pattern;
    if (p[this.i + 2] === "{") {
      const close = p.indexOf("}", this.i);
      return piece(hex(Number.parseInt(p.slice(this.i + 3, close), 16)), close + 1 - this.i);
    }
    const unit = Number.parseInt(p.slice(this.i + 2, this.i + 6), 16);
    const next = p.slice(this.i + 6, this.i + 12);
    const low = next.startsWith("\\u") ? Number.parseInt(next.slice(2), 16) : Number.NaN;
    if (unit >= 0xd800 && unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff && next.length === 6) {
      return piece(hex(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)), 12);
    }
    return piece(hex(unit), 6);
  }

  /** `\p{…}` / `\P{…}`: General_Category and Script values, and the binary properties that are ranges. */
  private property(negated: boolean): Piece {
    const close = this.pattern.indexOf("}", this.i);
    const body = this.pattern.slice(this.i + 3, close);
    const advance = close + 1 - this.i;
    const [key, name = ""] = body.includes("=") ? body.split("=") : [undefined, body];
    const letter = negated ? "P" : "p";
    // RE2 names scripts as ECMAScript's Script values do (Greek, Old_Italic); an unknown name fails its compile.
    if (key === "Script" || key === "sc" || (key === undefined && name === "Any")) {
      return piece(`\\${letter}{${name}}`, advance);
    }
    const category = categoryOf(name);
    if (category !== undefined && (key === undefined || key === "General_Category" || key === "gc")) {
      return piece(`\\${letter}{${category}}`, advance);
    }
    const ranges = key === undefined && Object.hasOwn(BINARY_RANGES, name) ? BINARY_RANGES[name] : undefined;
    if (ranges === undefined) {
      return {
        reason: `RE2 has no Unicode property \\${letter}{${body}} (it knows General_Category values such as L or Nd, Script values such as Greek, ASCII and Any)`,
      };
    }
    const text = rangesText(negated ? complement(ranges) : ranges);
    return piece(this.inClass ? text : `[${text}]`, advance);
  }
}

function categoryOf(name: string): string | undefined {
  if (Object.hasOwn(CATEGORY_ALIASES, name)) return CATEGORY_ALIASES[name];
  return CATEGORIES.has(name) ? name : undefined;
}
