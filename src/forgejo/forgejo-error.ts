/** Why a Forgejo request failed; the proposal quotes it, and the verdict is then `blocked`. */
export type ForgejoFailure = "unreachable" | "timeout" | "http" | "too_large" | "invalid_response" | "foreign_origin";

export class ForgejoError extends Error {
  constructor(
    readonly failure: ForgejoFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ForgejoError";
  }
}

/**
 * Whether the same request may succeed later with nothing changed: Forgejo unreachable, slow,
 * busy or failing (5xx, 408, 429). Any other answer (a missing issue, an archived repository, a
 * refused token) needs something fixed first, so "try again once Forgejo answers" would mislead.
 */
export function mayPassLater(error: ForgejoError): boolean {
  if (error.failure === "unreachable" || error.failure === "timeout") return true;
  const status = error.status ?? 0;
  return error.failure === "http" && (status >= 500 || status === 408 || status === 429);
}

/** How the CLI ends its advice to run a command again after `error`. */
export function againWhen(error: ForgejoError): string {
  return mayPassLater(error) ? "once Forgejo answers" : "once that is fixed";
}
