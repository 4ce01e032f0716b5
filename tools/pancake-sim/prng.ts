// A small seeded PRNG (mulberry32) so the generated data is identical for a seed on every run.

// Module-level aliases: global lookups are slow inside vm contexts (jest), and these run 100,000s of times.
const { floor, imul } = Math;
const fromCharCode = String.fromCharCode;

/** FNV-1a over `seed:label`, so each page (or purpose) gets its own independent stream. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed}:${label}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const HEX_CODES = Uint16Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;
// Scratch buffer for building ids: generation is synchronous, so one shared buffer is safe.
const CHARS = new Uint16Array(64);

/** Cumulative weights built once, so picking allocates nothing. */
export interface WeightTable<K extends string> {
  keys: K[];
  bounds: number[];
  total: number;
}

export function weights<K extends string>(spec: Readonly<Record<K, number>>): WeightTable<K> {
  const keys = Object.keys(spec) as K[];
  let total = 0;
  const bounds = keys.map((key) => (total += spec[key]));
  return { keys, bounds, total };
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32 random bits (mulberry32). */
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)] as T;
  }

  /** Picks a key of a weight table: `weights({ a: 3, b: 1 })` gives 'a' three times as often as 'b'. */
  weighted<K extends string>(table: WeightTable<K>): K {
    const roll = this.next() * table.total;
    for (let i = 0; i < table.bounds.length; i++)
      if (roll < table.bounds[i]!) return table.keys[i]!;
    return table.keys[table.keys.length - 1]!;
  }

  /** n lowercase hex characters, built in a char buffer: one flat string, no ropes to hash later. */
  hex(n: number): string {
    for (let i = 0; i < n; i += 8) {
      let word = this.uint32();
      for (let j = i; j < i + 8 && j < n; j++, word >>>= 4) CHARS[j] = HEX_CODES[word & 15]!;
    }
    // eslint-disable-next-line prefer-spread -- apply over a typed array avoids an array copy per id
    return fromCharCode.apply(null, CHARS.subarray(0, n) as unknown as number[]);
  }

  /** n decimal digits, the first one not 0. */
  digits(n: number): string {
    CHARS[0] = 49 + (this.uint32() % 9);
    for (let i = 1; i < n; i++) CHARS[i] = 48 + (this.uint32() % 10);
    // eslint-disable-next-line prefer-spread -- apply over a typed array avoids an array copy per id
    return fromCharCode.apply(null, CHARS.subarray(0, n) as unknown as number[]);
  }

  /** A UUID in v4 format (version nibble 4, variant 8..b), derived from the stream. */
  uuidV4(): string {
    let at = 0;
    for (let group = 0; group < 4; group++) {
      let word = this.uint32();
      for (let j = 0; j < 8; j++, word >>>= 4) {
        if (at === 8 || at === 13 || at === 18 || at === 23) CHARS[at++] = DASH;
        CHARS[at++] = HEX_CODES[word & 15]!;
      }
    }
    CHARS[14] = HEX_CODES[4]!;
    CHARS[19] = HEX_CODES[8 + (this.uint32() & 3)]!;
    // eslint-disable-next-line prefer-spread -- apply over a typed array avoids an array copy per id
    return fromCharCode.apply(null, CHARS.subarray(0, 36) as unknown as number[]);
  }
}
