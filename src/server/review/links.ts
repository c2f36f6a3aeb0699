import type { ProposalTarget } from "../../queue/proposal-target.js";

/** The target's page on Forgejo: the issue, the pull request, or the commit. */
export function forgejoLink(forgejoUrl: URL, target: ProposalTarget): string {
  const repo = target.repo.split("/").map(encodeURIComponent).join("/");
  const path = target.kind === "commit" ? `commit/${encodeURIComponent(target.sha)}` : `${target.kind === "pull" ? "pulls" : "issues"}/${target.number}`;
  return new URL(`${repo}/${path}`, base(forgejoUrl)).href;
}

/** A URL Forgejo gave back (a posted comment's), linked only when it points at the configured Forgejo. */
export function forgejoUrlOrNull(forgejoUrl: URL, url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    const parsed = new URL(url);
    return parsed.origin === forgejoUrl.origin && parsed.href.startsWith(base(forgejoUrl)) ? parsed.href : null;
  } catch {
    return null;
  }
}

function base(forgejoUrl: URL): string {
  return forgejoUrl.href.endsWith("/") ? forgejoUrl.href : `${forgejoUrl.href}/`;
}
