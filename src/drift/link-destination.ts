import { quote } from "../diagnostics/diagnostic.js";
import { targetOf, type DriftRules } from "./drift-rules.js";

/** Why a link's destination is outside the deployed tree: an absolute text, or one climbing above the root. */
export const OUTSIDE_THE_TREE = "outside the deployed tree";

/**
 * Why a symlink at manifest path `path` with text `text` may lead outside the deployed tree, or
 * null when it lands inside it. The text is resolved as the host would resolve it:
 *
 * - an absolute text, or `..` climbing above the root, is outside;
 * - a path on the way (or at the end) that is itself a link in `links` leads wherever that link
 *   does, which the manifests cannot say: `docs/x → ../lib/shadow` with `lib → /etc` is `/etc/shadow`;
 * - the tree's folders land in different places on the host (`systemd/user/` under
 *   `~/.config`), so the link is resolved again from where it lands, and is outside unless it
 *   reaches the place the policy puts the manifest path it names: `systemd/user/x →
 *   ../../gh/hosts.yml` is `~/.config/gh/hosts.yml`, not the tree's `gh/hosts.yml`.
 *
 * A link the policy maps nowhere is high risk already; only the first two apply to it.
 */
export function linkEscape(rules: DriftRules, path: string, text: string, links: ReadonlySet<string>): string | null {
  if (text.startsWith("/")) return OUTSIDE_THE_TREE;
  const reached = path.split("/");
  reached.pop();
  for (const segment of text.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (reached.pop() === undefined) return OUTSIDE_THE_TREE;
      continue;
    }
    reached.push(segment);
    if (links.size > 0) {
      const here = reached.join("/");
      if (links.has(here)) return `through ${quote(here)}, itself a link, so where it lands is not the manifests' to say`;
    }
  }
  const own = targetOf(rules, path);
  if (own === null) return null;
  const lands = hostPath(own.slice(0, own.lastIndexOf("/")), text);
  const named = reached.join("/");
  // Where the policy puts what the link names, whether that is a file or a folder.
  const asFile = targetOf(rules, named);
  const asFolder = named === "" ? null : targetOf(rules, `${named}/`);
  if ((asFile !== null && hostPath(asFile, "") === lands) || (asFolder !== null && hostPath(asFolder, "") === lands)) return null;
  return `which lands at ${quote(lands)} on the host, not where the policy puts ${quote(named === "" ? "the tree's root" : named)} (${quote(asFile ?? "nowhere")})`;
}

/** `text` resolved from the absolute folder `from` on the host, without `.`, `..` or a trailing `/`. */
function hostPath(from: string, text: string): string {
  const segments = from.split("/").filter((segment) => segment !== "");
  for (const segment of text.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}
