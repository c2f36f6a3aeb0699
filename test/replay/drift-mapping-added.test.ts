import { describe, expect, it } from "vitest";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { policyOf, SHIPPED } from "../helpers/policy-text.js";

const WHOLE_TREE = '  { local = "", target = "/opt/iskra-openclaw/" },\n';
const EXTRA = '{ local = "extra/", target = "/srv/extra/" }';

describe("policyLoosenings: a drift mapping added", () => {
  it("ahead of the whole-tree mapping, sends the files it covers elsewhere, and names where they landed", () => {
    expect(SHIPPED).toContain(WHOLE_TREE);
    const candidate = policyOf(SHIPPED.replace(WHOLE_TREE, `  ${EXTRA},\n${WHOLE_TREE}`));
    expect(policyLoosenings(policyOf(SHIPPED), candidate)).toEqual([
      { path: "policy.drift.paths[1]", change: "maps `extra/` anew (to `/srv/extra/`): files it covers landed where the whole tree (`\"\"`) put them (`/opt/iskra-openclaw/`); the risk rules judge manifest paths, not where files land" },
    ]);
  });

  it("behind a mapping that covers all its files changes where nothing lands, and is not listed", () => {
    const candidate = policyOf(SHIPPED.replace(WHOLE_TREE, `${WHOLE_TREE}  ${EXTRA},\n`));
    expect(policyLoosenings(policyOf(SHIPPED), candidate)).toEqual([]);
  });

  it("where no mapping covered its files, maps files that were unmapped and so high risk", () => {
    const narrow = policyOf(SHIPPED.replace(WHOLE_TREE, ""));
    const candidate = policyOf(SHIPPED.replace(WHOLE_TREE, `  ${EXTRA},\n`));
    expect(policyLoosenings(narrow, candidate)).toEqual([
      { path: "policy.drift.paths[1]", change: "maps `extra/` anew (to `/srv/extra/`): files it covers were unmapped, so high risk" },
    ]);
  });
});
