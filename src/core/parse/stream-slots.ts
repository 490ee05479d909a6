/**
 * What a partial value may show at one place of the schema: the types and enum members a value there
 * can have, and the places below it. Streaming shows a value only once the schema accepts it as it is, so
 * a partial never holds something the tolerant track would still coerce (an unknown key, a wrong-case
 * enum, `"42"` for an integer). Slots are built lazily, one per schema node, and cached: a stream touches
 * only the part of the schema its output uses, and every stream of one parser shares them.
 */
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from "../json.js";
import {
  combinedBranches,
  itemSchemas,
  jsonTypeOf,
  resolveSchema,
  typeAccepts,
  typesOf,
} from "./schema-nav.js";

/** A place in the schema as the partial view reads it; `null` where nothing may be shown (a closed object's unknown key). */
export type SlotOrHidden = Slot | null;

/** The slots of one schema document. */
export class SlotTable {
  private readonly slots = new WeakMap<object, Slot>();
  /** Accepts anything: unresolvable `$ref`s, `true`, and places the schema leaves open. */
  readonly any: Slot;
  readonly root: SlotOrHidden;

  constructor(readonly schema: JsonSchema) {
    this.any = new Slot(this, undefined);
    this.root = this.of(schema as JsonValue);
  }

  /** The slot of a schema node (`false` hides, anything unreadable shows everything). */
  of(node: JsonValue | undefined): SlotOrHidden {
    if (node === false) return null;
    const resolved = resolveSchema(node, this.schema);
    if (resolved === undefined) return this.any;
    let slot = this.slots.get(resolved);
    if (slot === undefined) {
      slot = new Slot(this, resolved);
      this.slots.set(resolved, slot);
    }
    return slot;
  }
}

/** One schema node, read for the partial view. */
export class Slot {
  private readonly types: readonly string[] | undefined;
  private readonly members: readonly unknown[] | undefined;
  private branchSlots: Slot[] | undefined | null = null;
  private props: Properties | undefined;
  /** Index in `props.keys` of the member most likely asked for next. */
  private next = 0;
  /** Cached answers: showsText(), and accepts()' one plain type ("" when there is none). */
  private text: boolean | undefined;
  private plain: string | undefined;

  constructor(
    private readonly table: SlotTable,
    private readonly node: JsonObject | undefined,
  ) {
    this.types = node === undefined ? undefined : typesOf(node);
    this.members = node === undefined ? undefined : membersOf(node);
  }

  /** True when a complete scalar `value` may be shown here as it is. */
  accepts(value: unknown): boolean {
    // PERFORMANCE: a place of one plain type (most of them) answers with one `typeof`.
    this.plain ??= this.plainType();
    if (this.plain !== "")
      return this.plain === "integer" ? Number.isInteger(value) : typeof value === this.plain;
    if (!this.ownAccepts(value)) return false;
    const branches = this.branches();
    return branches === undefined || branches.some((b) => b.accepts(value));
  }

  /** True when a string still being written may be shown here (a string place that is not an enum). */
  showsText(): boolean {
    this.text ??= this.computeShowsText();
    return this.text;
  }

  private computeShowsText(): boolean {
    if (this.types !== undefined && !this.types.includes("string")) return false;
    const branches = this.branches();
    if (branches !== undefined) return branches.some((b) => b.showsText());
    return this.members === undefined;
  }

  /**
   * The one JSON type (`string`, `number`, `integer`, `boolean`) this place accepts with no enum and no
   * branches, as `typeof` names it ("integer" for integers); "" when the answer takes more than that.
   */
  private plainType(): string {
    const types = this.types;
    if (types?.length !== 1 || this.members !== undefined || this.branches() !== undefined) return "";
    const type = types[0]!;
    return type === "string" || type === "number" || type === "boolean" || type === "integer" ? type : "";
  }

  /** The slot to read an object (or array) at this place with: null when the schema allows none here. */
  container(isArray: boolean): SlotOrHidden {
    const type = isArray ? "array" : "object";
    if (this.types !== undefined && !this.types.includes(type)) return null;
    if (this.members !== undefined) return null;
    const branches = this.branches();
    if (branches === undefined) return this;
    const fitting = branches.filter((b) => b.container(isArray) !== null);
    if (fitting.length === 0) return null;
    // Several object branches: which one the final value matches is not known yet, so show it unfiltered.
    return fitting.length === 1 ? fitting[0]!.container(isArray) : this.table.any;
  }

  /**
   * Member `key` of an object read with this slot: its slot, and the key as the schema spells it.
   * PERFORMANCE: models write members in the schema's order (OpenAI strict mode does), so the property
   * after the last one asked for (wrapping round to the first) is tried first, by one string comparison,
   * before any lookup. The schema's own key string is the one to store values under: a key sliced from
   * the text is not internalized, and storing under it costs a string-table lookup every time.
   */
  member(key: string): Member {
    const node = this.node;
    if (node === undefined) return { key, slot: this.table.any };
    this.props ??= propertiesOf(node);
    const props = this.props;
    let i = this.next < props.keys.length ? this.next : 0;
    if (props.keys[i] !== key) {
      i = props.index.get(key) ?? -1;
      if (i === -1) return { key, slot: this.otherMember(node) };
    }
    this.next = i + 1;
    let member = props.members[i];
    if (member === undefined) {
      member = { key: props.keys[i]!, slot: this.table.of(props.schemas[i]) };
      props.members[i] = member;
    }
    return member;
  }

  /** The slot of item `index` of an array read with this slot. */
  item(index: number): SlotOrHidden {
    const node = this.node;
    if (node === undefined) return this.table.any;
    const { tuple, rest } = itemSchemas(node);
    if (index < tuple.length) return this.table.of(tuple[index]);
    if (rest !== undefined) return this.table.of(rest);
    const open = Array.isArray(node.items) ? node.additionalItems : node.items;
    return open === false ? null : this.table.any;
  }

  /** The slot of a member not in `properties` (not cached: such keys come from the output, unbounded). */
  private otherMember(node: JsonObject): SlotOrHidden {
    // Pattern properties are not matched here: the partial shows such members unfiltered.
    if (node.patternProperties !== undefined) return this.table.any;
    const extra = node.additionalProperties;
    if (extra === false) return null;
    return extra === undefined || extra === true ? this.table.any : this.table.of(extra);
  }

  private ownAccepts(value: unknown): boolean {
    const type = jsonTypeOf(value);
    if (this.types !== undefined && !typeAccepts(this.types, type)) return false;
    // `{"type": ["string", "null"], "enum": [...]}` admits null (OpenAI's own example; see validators.ts).
    if (value === null && this.types?.includes("null")) return true;
    // Object and array enum members are not compared here: the partial shows such values unfiltered.
    if (this.members === undefined || (value !== null && typeof value === "object")) return true;
    return this.members.includes(value);
  }

  private branches(): Slot[] | undefined {
    if (this.branchSlots === null) {
      const list = this.node === undefined ? undefined : combinedBranches(this.node);
      this.branchSlots = list?.map((b) => this.table.of(b) ?? HIDDEN_BRANCH);
    }
    return this.branchSlots;
  }
}

/** A schema's `properties`, in order, with their slots resolved on first use. */
/** A member's slot and key (the schema's own string when the key is one of its properties). */
export interface Member {
  readonly key: string;
  readonly slot: SlotOrHidden;
}

interface Properties {
  keys: string[];
  schemas: JsonValue[];
  members: Array<Member | undefined>;
  index: Map<string, number>;
}

function propertiesOf(node: JsonObject): Properties {
  const props = isJsonObject(node.properties) ? node.properties : {};
  const keys = Object.keys(props);
  return {
    keys,
    schemas: keys.map((k) => props[k]!),
    members: keys.map(() => undefined),
    index: new Map(keys.map((k, i) => [k, i])),
  };
}

/** `enum` members, or the one `const` value; undefined when the node has neither. */
function membersOf(node: JsonObject): readonly unknown[] | undefined {
  if (Array.isArray(node.enum)) return node.enum;
  return Object.hasOwn(node, "const") ? [node.const] : undefined;
}

/** A `false` branch of an anyOf: accepts nothing. */
const HIDDEN_BRANCH = new Slot(new SlotTable(false), { type: [] });
