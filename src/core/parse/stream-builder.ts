/**
 * Where the stream scanner's values go: the container stack, and for each value the place the schema gives
 * it (stream-slots.ts). A value is shown only where the schema accepts it as it is; a container that held
 * something back is not complete when it closes, and an array shows no item after one it held back, so
 * the indexes it shows stay right.
 */
import { setOwn } from "../json.js";
import { pointerJoin } from "./repairs.js";
import type { SlotOrHidden } from "./stream-slots.js";

/** How far the reader got: `stalled` when the text stopped being readable JSON, `done` once the root closed. */
export type ScanStatus = "reading" | "done" | "stalled" | "too_deep";

// What the top container expects next.
export const KEY_OR_END = 0;
export const KEY = 1;
export const COLON = 2;
export const VALUE = 3;
export const NEXT = 4;
export const ITEM_OR_END = 5;
export const ITEM = 6;

/** An open container. */
export interface Frame {
  isArray: boolean;
  container: Record<string, unknown> | unknown[];
  path: string;
  /** null: this container is not shown (nor anything in it). */
  slot: SlotOrHidden;
  expect: number;
  key: string;
  /** The slot of the member being read (set with `key`). */
  member: SlotOrHidden;
  index: number;
  /** Every member so far shown exactly as received: only then is the container complete when it closes. */
  clean: boolean;
  /** An item was held back: later items are not shown either (their indexes would be wrong). */
  gap: boolean;
}

/** The partial value under construction: containers opened and closed, values placed or held back. */
export class PartialBuilder {
  status: ScanStatus = "reading";
  /** The partial value (undefined until the root opens). */
  root: unknown;
  /** Shown containers that closed with something held back: not complete, though everything in them is read. */
  readonly unclean = new Set<object>();
  /** The open containers, outermost first. */
  readonly stack: Frame[] = [];
  /** The last frame of `stack` (kept aside: it is read for every token). */
  protected topFrame: Frame | undefined;

  constructor(
    private readonly rootSlot: SlotOrHidden,
    private readonly maxDepth: number,
  ) {}

  protected open(isArray: boolean): void {
    if (this.stack.length >= this.maxDepth) {
      this.status = "too_deep";
      return;
    }
    const top = this.top();
    const place = this.placeSlot(top);
    const slot = place === null ? null : place.container(isArray);
    const container = isArray ? [] : {};
    let path = "";
    if (slot !== null) {
      path = this.placePath(top);
      this.attach(top, container);
    } else this.holdBack(top);
    const expect = isArray ? ITEM_OR_END : KEY_OR_END;
    const frame: Frame = {
      isArray,
      container,
      path,
      slot,
      expect,
      key: "",
      member: null,
      index: 0,
      clean: true,
      gap: false,
    };
    this.stack.push(frame);
    this.topFrame = frame;
  }

  protected close(top: Frame): void {
    this.stack.pop();
    const parent = this.stack[this.stack.length - 1];
    this.topFrame = parent;
    if (top.slot !== null && !top.clean) {
      this.unclean.add(top.container);
      if (parent !== undefined) parent.clean = false;
    }
    this.afterValue(parent);
  }

  /** A complete scalar: shown when the schema accepts it as it is, else held back (`shown`: it was, as it formed). */
  protected deliver(value: unknown, shown: boolean): void {
    const top = this.top();
    const place = this.placeSlot(top);
    if (place?.accepts(value)) this.attach(top, value);
    else {
      if (shown) this.detach(top);
      this.holdBack(top);
    }
    this.afterValue(top);
  }

  protected afterValue(top: Frame | undefined): void {
    if (top === undefined) {
      this.status = "done";
      return;
    }
    top.expect = NEXT;
    if (top.isArray) top.index++;
  }

  /** The slot of the value about to be read in `top`; null when it is not shown. */
  protected placeSlot(top: Frame | undefined): SlotOrHidden {
    if (top === undefined) return this.rootSlot;
    if (top.slot === null) return null;
    if (!top.isArray) return top.member;
    return top.gap ? null : top.slot.item(top.index);
  }

  protected placePath(top: Frame | undefined): string {
    if (top === undefined) return "";
    return pointerJoin(top.path, top.isArray ? top.index : top.key);
  }

  protected attach(top: Frame | undefined, value: unknown): void {
    if (top === undefined) this.root = value;
    else if (top.isArray) (top.container as unknown[])[top.index] = value;
    else setOwn(top.container as Record<string, unknown>, top.key, value);
  }

  protected detach(top: Frame | undefined): void {
    if (top === undefined) this.root = undefined;
    else if (top.isArray) (top.container as unknown[]).length = top.index;
    else delete (top.container as Record<string, unknown>)[top.key];
  }

  protected holdBack(top: Frame | undefined): void {
    if (top === undefined || top.slot === null) return;
    top.clean = false;
    if (top.isArray) top.gap = true;
  }

  protected setKey(top: Frame, key: string): void {
    if (top.slot === null) top.key = key;
    else {
      const member = top.slot.member(key);
      top.key = member.key;
      top.member = member.slot;
    }
    top.expect = COLON;
  }

  protected top(): Frame | undefined {
    return this.topFrame;
  }
}
