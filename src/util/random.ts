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

  /**
   * A version 4, variant 1 UUID, written as one flat string: a million of them key a
   * store's maps, and a string glued from pieces must be flattened before it is hashed.
   */
  uuid(): string {
    const codes = UUID_CODES;
    let at = 0;
    for (let word = 0; word < 4; word++) {
      let bits = Math.floor(this.next() * 4294967296);
      for (let nibble = 0; nibble < 8; nibble++) {
        codes[HEX_POSITIONS[at++] as number] = HEX_CODES[bits >>> 28] as number;
        bits = (bits << 4) >>> 0;
      }
    }
    codes[14] = HEX_CODES[4] as number; // version 4
    codes[19] = HEX_CODES[8 + ((codes[19] as number) & 3)] as number; // variant 8, 9, a or b
    return String.fromCharCode(...codes);
  }
}

const HEX_CODES = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));
/** Where the 32 hex digits of a UUID go between its four dashes. */
const HEX_POSITIONS = Array.from({ length: 36 }, (_, position) => position).filter(
  (position) => ![8, 13, 18, 23].includes(position),
);
const UUID_CODES: number[] = Array.from({ length: 36 }, () => "-".charCodeAt(0));
