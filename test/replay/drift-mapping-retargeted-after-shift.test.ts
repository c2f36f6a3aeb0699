import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import type { Policy } from "../../src/policy/policy.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";

const SHIPPED = readFileSync(SHIPPED_POLICY_PATH, "utf8");
const USER_UNITS = '{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },';

function policyOf(text: string): Policy {
  const parsed = parsePolicy(Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return parsed.policy;
}

describe("policyLoosenings: a drift mapping's new target is listed wherever the mapping now stands", () => {
  it("a mapping pushed down by a new one ahead of it, and sent elsewhere, is listed at its new place", () => {
    expect(SHIPPED).toContain(USER_UNITS);
    const candidate = policyOf(SHIPPED.replace(USER_UNITS, `{ local = "extra/", target = "/srv/extra/" },\n  { local = "systemd/user/", target = "/etc/systemd/system/" },`));
    expect(policyLoosenings(policyOf(SHIPPED), candidate)).toEqual([
      { path: "policy.drift.paths[0]", change: "maps `extra/` anew (to `/srv/extra/`): files it covers were unmapped, so high risk" },
      { path: "policy.drift.paths[1].target", change: "`systemd/user/` now lands at `/etc/systemd/system/`, not `/home/iskra/.config/systemd/user/`: the risk rules judge manifest paths, not where files land" },
    ]);
  });
});
