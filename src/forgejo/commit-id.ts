/**
 * A full commit id as Forgejo writes it: 40 lowercase hex digits (SHA-1) or 64 (SHA-256 repositories).
 * A file read at anything else is not read at a commit: `ref=` (empty) makes Forgejo's media endpoint
 * serve the default branch's file, so a job must never be made, or run, without one.
 */
export const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isCommitId(value: unknown): value is string {
  return typeof value === "string" && COMMIT_ID.test(value);
}

/** The all-zero id: a push's `before` when it created the ref, its `after` when it deleted it. */
export function isZeroCommit(id: string): boolean {
  return /^0+$/.test(id);
}
