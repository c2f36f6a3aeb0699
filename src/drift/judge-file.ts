import { quote } from "../diagnostics/diagnostic.js";
import { classify, riskyModeOf, targetOf, type Classification, type DriftRules } from "./drift-rules.js";
import { linkEscape } from "./link-destination.js";
import type { FileState } from "./plan-schema.js";

export interface FileChange {
  path: string;
  local: FileState | null;
  remote: FileState | null;
  differs: readonly string[];
}

/**
 * One differing file judged by the policy's `[drift]` rules: what `drift plan` labels it, and
 * what the gate judges it again. `links` holds the paths that are symlinks on either side: every
 * link of both manifests for `drift plan`; for the gate, the plan's own links. Those hold every
 * link above a differing file (a side holding a link at a folder holds nothing under it, so the
 * link differs from the other side's folder), but not a link both sides share.
 */
export function judgeFile(rules: DriftRules, file: FileChange, links: ReadonlySet<string>): Classification {
  return classify(rules, file.path, {
    modeChanged: file.differs.includes("mode"),
    riskyMode: riskyModeOf(file.local),
    mapped: targetOf(rules, file.path) !== null,
    outside: outsideReason(rules, file, links),
  });
}

/** Why writing, removing or backing up the file may reach outside the deployed tree, or null. */
function outsideReason(rules: DriftRules, file: FileChange, links: ReadonlySet<string>): string | null {
  const above = linkAbove(file.path, links);
  if (above !== null) return `${quote(above)} above it is a link on one side, so a write, removal or backup of it may follow that link out of the tree`;
  if (file.local?.link !== undefined) {
    const why = linkEscape(rules, file.path, file.local.link, links);
    if (why !== null) return `a link to ${quote(file.local.link)}, ${why}`;
  }
  // What the host holds is read for the backup and may be written through: its own link counts too.
  if (file.remote?.link !== undefined) {
    const why = linkEscape(rules, file.path, file.remote.link, links);
    if (why !== null) return `on the host a link to ${quote(file.remote.link)}, ${why}`;
  }
  return null;
}

/** The first folder above `path` that is a link, or null. */
function linkAbove(path: string, links: ReadonlySet<string>): string | null {
  if (links.size === 0) return null;
  for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
    const folder = path.slice(0, slash);
    if (links.has(folder)) return folder;
  }
  return null;
}
