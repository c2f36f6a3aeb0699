import { createHash } from "node:crypto";
import { writeOutUnsafe } from "../markdown/unsafe-characters.js";

/** Where a pushed bundle came from, as proposals show it: `owner/name@<12 hex>:path/in/repo`. */
export function pushOrigin(repo: string, ref: string, path: string): string {
  return `${repo}@${ref.slice(0, 12)}:${path}`;
}

const PUSH_ORIGIN = /^[^@:]+@[0-9a-f]{1,12}:(.+)$/s;

/** The bundle's path in the repository, when `origin` is a pushOrigin; otherwise null. */
export function bundlePathOf(origin: string): string | null {
  return PUSH_ORIGIN.exec(origin)?.[1] ?? null;
}

export const STATUS_CONTEXT = "patchwarden/gate";
// Forgejo keeps a status context in a column of 255 characters.
const MAX_CONTEXT_PATH = 200;

/**
 * A commit status's context, one per bundle: Forgejo's combined status (and a pull request's
 * checks) keeps only the latest status of each context, so two bundles of one push sharing one
 * context would show whichever verdict was approved last: a blocked bundle hidden behind a green
 * one. The bundle's path names it; a path too long or not plain text is named by its digest.
 */
export function statusContextFor(origin: string): string {
  const path = bundlePathOf(origin);
  if (path === null) return STATUS_CONTEXT;
  const plain = path.length <= MAX_CONTEXT_PATH && writeOutUnsafe(path) === path;
  return `${STATUS_CONTEXT}: ${plain ? path : `sha256:${createHash("sha256").update(path).digest("hex").slice(0, 16)}`}`;
}
