import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHROMIUM } from "./chromium.js";

const SCRIPT = fileURLToPath(new URL("./ensure-chromium.mjs", import.meta.url));
const run = (env: Record<string, string>) => spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, ...env }, encoding: "utf8" });

describe("pretest: ensure-chromium", () => {
  it("does nothing when the browser is there", () => {
    const result = run({ PATCHWARDEN_CHROMIUM: CHROMIUM });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("refuses a PATCHWARDEN_CHROMIUM that is not an executable, saying what to do, and installs nothing", () => {
    const result = run({ PATCHWARDEN_CHROMIUM: "/nonexistent/chromium" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("pretest: PATCHWARDEN_CHROMIUM: `/nonexistent/chromium` is not an executable file; point it at a Chromium binary or unset it to use Debian's /usr/bin/chromium\n");
  });
});
