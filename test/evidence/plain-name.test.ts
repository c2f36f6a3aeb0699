import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { PLAIN_NAME_PATTERN } from "../../src/evidence/plain-name.js";
import { validateBundle } from "../../src/evidence/validate-bundle.js";
import { bundleOf, item } from "../helpers/bundles.js";

const refusedClass = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

describe("a name that decides identity (target host and service, item subject and id)", () => {
  // The pattern has no `u` flag, so that ajv reads it as zod does; this holds its hand-written ranges
  // to Unicode's own classes, for every code point, so a later Unicode version's Cf cannot slip by.
  it("refuses exactly the controls, separators and format characters, over every code point", () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const c = String.fromCodePoint(code);
      if (/\s/.test(c)) continue; // a space inside a name is allowed, at either end not; tested below
      const refused = !PLAIN_NAME_PATTERN.test(`a${c}b`);
      if (refused !== refusedClass.test(c)) wrong.push(code.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it("refuses a lone surrogate (JSON can write one as `\\ud800`)", () => {
    expect(PLAIN_NAME_PATTERN.test("isk\ud800ra")).toBe(false);
    expect(PLAIN_NAME_PATTERN.test("iskra\udc00")).toBe(false);
  });

  it.each([" iskra", "iskra ", "iskra\t", "\u00a0iskra", " "])("refuses a space at either end: %j", (name) => {
    expect(PLAIN_NAME_PATTERN.test(name)).toBe(false);
  });

  it.each(["iskra", "openclaw-gateway.service", "two words", "Ünïcode ☃ 😀"])("takes plain text: %j", (name) => {
    expect(PLAIN_NAME_PATTERN.test(name)).toBe(true);
  });

  // A lease on `iskra` does not cover `isk\u200bra`, which reads the same on every screen: taken as
  // written, it would let a second repair of the same host past its lock.
  it("refuses a bundle whose target host holds a zero-width space, writing the character out", () => {
    const result = validateBundle(bundleOf("runtime_diagnostics", [item("runtime-truth-report")], { target: { host: "isk\u200bra" } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      "bundle.candidate.target.host: `isk\\u200bra` holds a control, bidirectional or invisible character (written out here) or a space at either end; write it as plain text, since the gate compares it as written (locks, duplicates)",
      "bundle.candidate.target.host: `isk\\u200bra` is not a host name; use ASCII letters, digits, `.`, `-` and `_` (an internationalized name in its `xn--` form) or an IP address, so that no look-alike letter can name another host to a lock",
    ]);
  });

  // Plain text is not enough for a lock's target: `iskrа` with a Cyrillic а reads as `iskra`.
  it("refuses a look-alike letter in a target host or service, and takes host names, addresses and unit names", () => {
    const target = (t: { host?: string; service?: string }) => validateBundle(bundleOf("runtime_diagnostics", [item("runtime-truth-report")], { target: t }));
    const host = target({ host: "iskr\u0430" });
    expect(host.ok).toBe(false);
    if (!host.ok) expect(host.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^bundle\.candidate\.target\.host: `iskrа` is not a host name;/)]);
    const service = target({ service: "openclaw-g\u0430teway.service" });
    expect(service.ok).toBe(false);
    if (!service.ok) expect(service.diagnostics[0]!.message).toMatch(/is not a systemd unit name/);
    for (const ok of [{ host: "iskra" }, { host: "Iskra-1.example.org." }, { host: "10.0.0.7" }, { host: "[fd00::7]" }, { host: "xn--iskr-5ve.example" }, { service: "openclaw-gateway.service" }, { service: "getty@tty1.service" }, { service: "systemd-fsck@dev-disk-by\\x2duuid.service" }]) {
      expect(target(ok).ok, JSON.stringify(ok)).toBe(true);
    }
  });

  it.each([
    ["service", { target: { service: "openclaw-gateway\u202e" } }, "bundle.candidate.target.service"],
    ["subject", { subject: "openclaw-gate\u2060way" }, "bundle.evidence[0].subject"],
    ["id", { id: "rt-1\u00ad" }, "bundle.evidence[0].id"],
  ] as const)("refuses an invisible character in the %s", (_field, change, path) => {
    const bundle = "target" in change ? bundleOf("runtime_diagnostics", [item("runtime-truth-report")], change) : bundleOf("runtime_diagnostics", [item("runtime-truth-report", change)]);
    const result = validateBundle(bundle);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics[0]!.path).toBe(path);
  });

  it("accepts plain names through the fast path", () => {
    expect(validateBundle(bundleOf("runtime_diagnostics", [item("runtime-truth-report", { subject: "openclaw-gateway", id: "rt-1" })], { target: { host: "iskra", service: "openclaw-gateway.service" } })).ok).toBe(true);
  });
});
