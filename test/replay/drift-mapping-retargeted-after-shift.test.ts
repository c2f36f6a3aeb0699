import { describe, expect, it } from "vitest";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { policyOf, SHIPPED } from "../helpers/policy-text.js";

const USER_UNITS = '{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },';

describe("policyLoosenings: a drift mapping's new target is listed wherever the mapping now stands", () => {
  it("a mapping pushed down by a new one ahead of it, and sent elsewhere, is listed at its new place", () => {
    expect(SHIPPED).toContain(USER_UNITS);
    const candidate = policyOf(SHIPPED.replace(USER_UNITS, `{ local = "extra/", target = "/srv/extra/" },\n  { local = "systemd/user/", target = "/etc/systemd/system/" },`));
    expect(policyLoosenings(policyOf(SHIPPED), candidate)).toEqual([
      { path: "policy.drift.paths[0]", change: "maps `extra/` anew (to `/srv/extra/`): files it covers landed where the whole tree (`\"\"`) put them (`/opt/iskra-openclaw/`); the risk rules judge manifest paths, not where files land" },
      { path: "policy.drift.paths[1].target", change: "`systemd/user/` now lands at `/etc/systemd/system/`, not `/home/iskra/.config/systemd/user/`: the risk rules judge manifest paths, not where files land" },
    ]);
  });
});
