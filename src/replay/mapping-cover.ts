import type { PathMapping } from "../drift/drift-rules.js";

/** The manifest paths a `[drift].paths` mapping covers: every path under a folder's `local`, or the one file it names. */
export type Cover = Pick<PathMapping, "local" | "isFolder">;

/** Whether `outer` covers every path `inner` covers. */
export function coversAll(outer: Cover, inner: Cover): boolean {
  return outer.isFolder ? inner.local.startsWith(outer.local) : !inner.isFolder && inner.local === outer.local;
}

/** The paths both cover, or null when none: two folders either nest or never meet, so this is the narrower one. */
export function sharedCover(a: Cover, b: Cover): Cover | null {
  if (coversAll(a, b)) return b;
  if (coversAll(b, a)) return a;
  return null;
}
