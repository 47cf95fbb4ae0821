// Where rate-limit counts live. Each hit is one atomic step in the store: increment the key's count in its
// current window (starting a new window when the old one is over) and say how long the window has left.
export type RateStore = {
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  reset(key: string): Promise<void>;
  /** Gives back one hit of the key's current window (never below zero); nothing when the key has none. */
  release(key: string): Promise<void>;
};

type Entry = { count: number; resetAt: number };

/** Far above what the limits let clients create in a window (each address's attempts are capped first). */
const DEFAULT_MAX_KEYS = 100_000;

/**
 * This process's memory: right for one server process (the embedded default). Bounded in memory and in work:
 * the map is kept in least-recently-hit order, and each hit looks at no more than two of its oldest keys,
 * dropping them when expired — or, past `maxKeys`, even when live. No hit ever scans the whole map.
 */
export class MemoryRateStore implements RateStore {
  private readonly hits = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys: number = DEFAULT_MAX_KEYS,
  ) {}

  async hit(key: string, windowMs: number) {
    const now = this.now();
    let entry = this.hits.get(key);
    // Deleted and set again below: a Map keeps insertion order, so this moves the key to the newest end.
    this.hits.delete(key);
    if (!entry || entry.resetAt <= now) entry = { count: 0, resetAt: now + windowMs };
    entry.count += 1;
    this.hits.set(key, entry);
    this.trim(now);
    return { count: entry.count, resetInMs: entry.resetAt - now };
  }

  async release(key: string) {
    const entry = this.hits.get(key);
    if (entry && entry.count > 0) entry.count -= 1;
  }

  async reset(key: string) {
    this.hits.delete(key);
  }

  /** Keys held now (for tests and metrics). */
  get size(): number {
    return this.hits.size;
  }

  private trim(now: number) {
    for (let i = 0; i < 2; i++) {
      const oldest = this.hits.entries().next().value;
      if (!oldest) return;
      const [key, entry] = oldest;
      if (entry.resetAt > now && this.hits.size <= this.maxKeys) return;
      this.hits.delete(key);
    }
  }
}
