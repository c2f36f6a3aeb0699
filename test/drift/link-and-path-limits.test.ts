import { describe, expect, it } from "vitest";
import { classify, compileDriftRules } from "../../src/drift/drift-rules.js";
import { linkEscape, OUTSIDE_THE_TREE } from "../../src/drift/link-destination.js";
import { manifestPathProblem, MAX_PATH_LENGTH } from "../../src/drift/manifest-path.js";

const rules = (paths: Array<{ local: string; target: string }>) =>
  compileDriftRules({ executor: "scripts/deploy.sh", lock: "/run/lock/deploy.lock", backup_location: "/var/backups/deploy/", postchecks: [], default_risk: "low", mode_change_risk: "high", paths, risk_rules: [] });

describe("a link whose `..` climbs above the tree's root", () => {
  it("is outside the deployed tree, however the rest of its text reads", () => {
    const docs = rules([{ local: "docs/", target: "/opt/app/docs/" }]);
    expect(linkEscape(docs, "docs/x.md", "../../etc/passwd", new Set())).toBe(OUTSIDE_THE_TREE);
    expect(linkEscape(docs, "docs/x.md", "../etc/../../etc/passwd", new Set())).toBe(OUTSIDE_THE_TREE);
    expect(linkEscape(docs, "docs/x.md", "../x.md", new Set())).not.toBe(OUTSIDE_THE_TREE);
  });

  it("is outside even where the host path it names happens to be where the policy puts a tree path", () => {
    // `x → ../srv/y` from the root leaves the tree; that the host's /srv/y is also where the policy
    // puts `srv/y` does not bring it back in.
    const srv = rules([
      { local: "srv/", target: "/srv/" },
      { local: "", target: "/srv/" },
    ]);
    const why = linkEscape(srv, "x", "../srv/y", new Set());
    expect(why).toBe(OUTSIDE_THE_TREE);
    expect(classify(srv, "x", { mapped: true, outside: why })).toMatchObject({ risk: "high", note: `no risk rule matches: the policy's default; ${OUTSIDE_THE_TREE}: raised to high` });
    // The same text one folder down stays in the tree and lands where the policy puts `srv/y`.
    expect(linkEscape(srv, "srv/x", "y", new Set())).toBeNull();
  });
});

describe("the longest manifest path", () => {
  it(`takes a path of exactly ${MAX_PATH_LENGTH} characters`, () => {
    expect(manifestPathProblem(`${"a/".repeat(MAX_PATH_LENGTH / 2 - 1)}ab`)).toBeNull();
  });

  it(`refuses a path of ${MAX_PATH_LENGTH + 1} characters`, () => {
    const path = `${"a/".repeat(MAX_PATH_LENGTH / 2)}b`;
    expect(path).toHaveLength(MAX_PATH_LENGTH + 1);
    expect(manifestPathProblem(path)).toMatch(/^`a\/a\/.* is longer than 4096 characters; no host can hold it$/);
  });
});
