/**
 * Failed sign-ins per client address in a fixed window: after `max` failures, that address waits
 * until the window ends. In memory: a restart forgets, which costs an attacker a restart each time.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60 * 1000,
    private readonly maxTracked = 10_000,
  ) {}

  /** Milliseconds until `address` may try again; 0 when it may now. */
  retryAfter(address: string, now: number): number {
    const entry = this.failures.get(address);
    if (entry === undefined || entry.resetAt <= now) return 0;
    return entry.count >= this.max ? entry.resetAt - now : 0;
  }

  fail(address: string, now: number): void {
    const entry = this.failures.get(address);
    if (entry !== undefined && entry.resetAt > now) {
      entry.count++;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= this.maxTracked) this.prune(now);
    this.failures.set(address, { count: 1, resetAt: now + this.windowMs });
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  /** Bounded memory under a flood of addresses: drop finished windows, then the oldest. */
  private prune(now: number): void {
    for (const [address, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(address);
    for (const address of this.failures.keys()) {
      if (this.failures.size < this.maxTracked) break;
      this.failures.delete(address);
    }
  }
}
