/** A bounded map that forgets the least recently used entry first (compiled parsers, compatibility verdicts). */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  /** The value for `key`, marked as most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    // Refreshing (delete + insert) costs on the hot path: skip it while the cache is under half full, when
    // no eviction is near. A hot key is refreshed on its next use once the cache passes half.
    if (this.capacity < this.map.size * 2) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  /** Stores a value, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  /** Forgets one entry. */
  delete(key: K): void {
    this.map.delete(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }
}
