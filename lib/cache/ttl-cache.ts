/**
 * A small in-process cache with a time-to-live and a size bound. Used for lookups on the send path that
 * change rarely (session → user, sender settings); writers in this process invalidate their keys, and the
 * TTL bounds how stale another process's copy can be.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<V | null>>();
  // Bumped by every delete: a load that began before it may have read what was just invalidated.
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * The cached value, or else what `load` gives (kept unless null). Callers asking for a key while it loads
   * share that one load: when a busy entry expires, one lookup runs instead of one per waiting request. A load
   * under way when entries are deleted still answers its callers, but is not kept, and later callers start
   * their own.
   */
  getOrLoad(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const cached = this.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const pending = load()
      .then((value) => {
        if (value !== null && generation === this.generation) this.set(key, value);
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === pending) this.loading.delete(key);
      });
    this.loading.set(key, pending);
    return pending;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.forgetLoads();
  }

  /** Removes every entry whose value matches (e.g. all cached sessions of one user). */
  deleteWhere(predicate: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (predicate(entry.value)) this.entries.delete(key);
    this.forgetLoads();
  }

  private forgetLoads(): void {
    this.generation++;
    this.loading.clear();
  }
}
