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
