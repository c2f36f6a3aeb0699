import { describe, expect, it } from "vitest";
import type { Policy } from "../../src/policy/policy.js";
import { policyLoosenings } from "../../src/replay/policy-loosenings.js";
import { policyOf, SHIPPED } from "../helpers/policy-text.js";

const USER_UNITS = '{ local = "systemd/user/", target = "/home/iskra/.config/systemd/user/" },';
const WHOLE_TREE = '{ local = "", target = "/opt/iskra-openclaw/" },';

/** The shipped policy with its `[drift].paths` mappings replaced by `mappings`. */
function withPaths(...mappings: string[]): Policy {
  const shipped = `  ${USER_UNITS}\n  ${WHOLE_TREE}\n`;
  expect(SHIPPED).toContain(shipped);
  return policyOf(SHIPPED.replace(shipped, mappings.map((m) => `  ${m}\n`).join("")));
}

const RUN = '{ local = "bin/run", target = "/usr/local/bin/run" },';
const RUN_SH = '{ local = "bin/run.sh", target = "/usr/local/bin/run.sh" },';
const BIN = '{ local = "bin/", target = "/opt/bin/" },';
const SYSTEMD = '{ local = "systemd/", target = "/etc/systemd/" },';

describe("policyLoosenings: which mapping a removed mapping's files fall to", () => {
  it("a file mapping whose name is a prefix of a removed file mapping never covered that file", () => {
    // bin/run.sh was its own mapping's; bin/run names another file. Without it bin/run.sh lands in the whole tree.
    const running = withPaths(RUN, RUN_SH, USER_UNITS, WHOLE_TREE);
    const candidate = withPaths(RUN, USER_UNITS, WHOLE_TREE);
    expect(policyLoosenings(running, candidate)).toEqual([
      { path: "policy.drift.paths", change: "`bin/run.sh` (to `/usr/local/bin/run.sh`) removed: a file it covered now lands where the whole tree (`\"\"`) puts it" },
    ]);
  });

  it("a removed folder's files fall past a kept file mapping that was already first for its own file", () => {
    // bin/run.sh kept its own mapping before and after; the rest of bin/ now lands in the whole tree.
    const running = withPaths(RUN_SH, BIN, USER_UNITS, WHOLE_TREE);
    const candidate = withPaths(RUN_SH, USER_UNITS, WHOLE_TREE);
    expect(policyLoosenings(running, candidate)).toEqual([
      { path: "policy.drift.paths", change: "`bin/` (to `/opt/bin/`) removed: a file it covered now lands where the whole tree (`\"\"`) puts it" },
    ]);
  });

  it("a removed folder mapping that a wider folder listed before it had shadowed loosens nothing", () => {
    // systemd/ took every file of systemd/user/ first, before and after.
    const running = withPaths(SYSTEMD, USER_UNITS, WHOLE_TREE);
    const candidate = withPaths(SYSTEMD, WHOLE_TREE);
    expect(policyLoosenings(running, candidate)).toEqual([]);
  });

  it("a removed folder whose one file a narrower mapping after it kept now lands there", () => {
    // bin/run.sh was bin/'s first (to /opt/bin/run.sh); now the file mapping puts it at /usr/local/bin/run.sh.
    const running = withPaths(BIN, RUN_SH, USER_UNITS);
    const candidate = withPaths(RUN_SH, USER_UNITS);
    expect(policyLoosenings(running, candidate)).toEqual([
      { path: "policy.drift.paths", change: "`bin/` (to `/opt/bin/`) removed: a file it covered now lands where `bin/run.sh` puts it" },
    ]);
  });
});
