/**
 * A small seeded generator for the bulk of the seed (a million tickets): faker's own is
 * the better source of names and words, but per value it costs microseconds. mulberry32:
 * 32-bit state, good enough spread for test data, same seed, same sequence.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` distinct items, at most all of them. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const picked: T[] = [];
    while (picked.length < count && pool.length > 0)
      picked.push(pool.splice(this.int(0, pool.length - 1), 1)[0] as T);
    return picked;
  }

  digits(length: number): string {
    let text = String(this.int(1, 9));
    while (text.length < length) text += String(this.int(0, 9));
    return text;
  }

  /** A version 4, variant 1 UUID. */
  uuid(): string {
    const hex = (bits: number, length: number) => (bits >>> 0).toString(16).padStart(length, "0");
    const word = () => Math.floor(this.next() * 4294967296);
    const a = word();
    const b = word();
    const c = word();
    const d = word();
    return (
      `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(((b & 0x0fff) | 0x4000) & 0xffff, 4)}-` +
      `${hex(((c >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`
    );
  }
}
