/** A slot taken for one sign-in attempt: `ok` to check the token, else how long to wait. */
export type Attempt = { ok: true; succeeded(): void } | { ok: false; retryAfterMs: number };

interface Window {
  count: number;
  resetAt: number;
}

/** Logins beyond this many per address share one window, so one address cannot flood the memory. */
const OTHER_LOGINS = "\u0000other";

/**
 * Failed sign-ins per client address and login in a fixed window: after `max` of them, that login
 * waits from that address until the window ends. Keyed by login too, so guesses at alice's token
 * lock out neither bob nor alice elsewhere, and bob signing in forgives nothing about alice.
 * In memory: a restart forgets, which costs an attacker a restart each time.
 */
export class LoginLimiter {
  private readonly addresses = new Map<string, Map<string, Window>>();

  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60 * 1000,
    private readonly maxTracked = 10_000,
    private readonly loginsPerAddress = 16,
  ) {}

  /**
   * Checks and counts the attempt as a failure in one synchronous step, before its token is
   * checked: concurrent guesses cannot all pass a check made before any of them is counted.
   * Only a success gives its own slot back; it never clears the failures before it.
   */
  attempt(address: string, login: string, now: number): Attempt {
    const logins = this.loginsOf(address, now);
    const key = logins.has(login) || logins.size < this.loginsPerAddress ? login : OTHER_LOGINS;
    let window = logins.get(key);
    if (window === undefined || window.resetAt <= now) {
      // A login given a window of its own as others' end may have been guessed at in the shared
      // one: it keeps that window's count and end, or a flood of logins would double its guesses.
      const shared = key === OTHER_LOGINS ? undefined : logins.get(OTHER_LOGINS);
      window = shared !== undefined && shared.resetAt > now ? { count: shared.count, resetAt: shared.resetAt } : { count: 0, resetAt: now + this.windowMs };
      logins.set(key, window);
    }
    if (window.count >= this.max) return { ok: false, retryAfterMs: window.resetAt - now };
    window.count++;
    const taken = window;
    return {
      ok: true,
      succeeded: () => {
        if (taken.count > 0) taken.count--;
      },
    };
  }

  /** The windows of one address, its finished ones dropped; the map stays bounded under a flood of addresses. */
  private loginsOf(address: string, now: number): Map<string, Window> {
    let logins = this.addresses.get(address);
    if (logins !== undefined) {
      for (const [login, window] of logins) if (window.resetAt <= now) logins.delete(login);
      return logins;
    }
    if (this.addresses.size >= this.maxTracked) this.prune(now);
    logins = new Map();
    this.addresses.set(address, logins);
    return logins;
  }

  /** Drop addresses whose windows all ended, then the oldest. */
  private prune(now: number): void {
    for (const [address, logins] of this.addresses) if ([...logins.values()].every((window) => window.resetAt <= now)) this.addresses.delete(address);
    for (const address of this.addresses.keys()) {
      if (this.addresses.size < this.maxTracked) break;
      this.addresses.delete(address);
    }
  }
}
