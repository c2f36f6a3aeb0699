import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { comparePaths, linkTextProblem, manifestHostProblem, manifestPathProblem, manifestRootProblem } from "../../src/drift/manifest-path.js";

const sign = (n: number) => Math.sign(n);

describe("manifest path order", () => {
  it("is the order of the paths' UTF-8 bytes (LC_ALL=C sort), for any Unicode text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => sign(comparePaths(a, b)) === sign(Buffer.compare(Buffer.from(a), Buffer.from(b)))),
      { numRuns: 5000 },
    );
  });

  it("puts a character beyond U+FFFF after U+E000–U+FFFF, where JavaScript's default order does not", () => {
    const astral = "docs/\u{1F680}.md";
    const privateUse = "docs/\uE000.md";
    expect([astral, privateUse].sort()).toEqual([astral, privateUse]);
    expect([astral, privateUse].sort(comparePaths)).toEqual([privateUse, astral]);
  });

  it("compares whole paths, so `a-b` < `a.b` < `a/b` < `ab` as bytes", () => {
    expect(["ab", "a/b", "a.b", "a-b"].sort(comparePaths)).toEqual(["a-b", "a.b", "a/b", "ab"]);
  });

  it("is a strict order: equal only for equal paths, antisymmetric", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => (comparePaths(a, b) === 0) === (a === b) && sign(comparePaths(a, b)) === -sign(comparePaths(b, a))),
    );
  });
});

describe("manifest paths", () => {
  it.each(["README.md", "docs/runbook.md", "a/b/c/d.txt", ".env", "dir with spaces/ünïcödé ✓.md", "a\\b", "x..y/..z", "..."])("accepts %j", (path) => {
    expect(manifestPathProblem(path)).toBeNull();
  });

  it.each([
    ["", /^is empty/],
    ["/etc/passwd", /^`\/etc\/passwd` is absolute; record paths relative to the scanned folder$/],
    ["../etc/passwd", /^`\.\.\/etc\/passwd` climbs out of the root; record paths relative to the scanned folder$/],
    ["docs/../../etc/passwd", /climbs out of the root/],
    ["docs/..", /climbs out of the root/],
    ["./README.md", /has a `\.` segment/],
    ["docs//a.md", /has an empty segment/],
    ["docs/", /has an empty segment/],
    ["a\nb", /holds a control character or line break/],
    ["a\u2028b", /holds a control character or line break/],
    ["bad\uD800name", /is not valid UTF-8/],
    ["bad\uDC00name", /is not valid UTF-8/],
    ["x/".repeat(2049) + "y", /longer than 4096/],
  ])("refuses %j", (path, message) => {
    expect(manifestPathProblem(path)).toMatch(message);
  });

  // Rendered, `systemd/user/x\u202Edm.service` reads `systemd/user/xecivres.md`.
  it.each(["systemd/user/x\u202Edm.service", "a\u202Ab", "a\u2066b\u2069", "a\u200Fb", "a\u061Cb"])("refuses %j, whose bidirectional control makes it display as another name, and shows the control", (path) => {
    const escaped = path.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    expect(manifestPathProblem(path)).toBe(`\`${escaped}\` holds a bidirectional control character, which makes it display as another name; rename the file`);
    expect(linkTextProblem(path)).toMatch(/holds a bidirectional control character/);
  });
});

describe("manifest hosts and roots, shown in every plan", () => {
  it.each([
    ["iskra\n### 🟢 all good", /^`iskra\\x0a### 🟢 all good` holds a control character, line break or bidirectional control; take the manifest again with a plain label, like `--host iskra`$/],
    ["isk\u202Eard", /^`isk\\u202eard` holds a control character/],
    ["bad\uD800", /is not valid UTF-8/],
  ])("refuses the host %j", (host, message) => {
    expect(manifestHostProblem(host)).toMatch(message);
  });

  it.each([
    ["relative/x", /^`relative\/x` is not an absolute path; the root is the scanned folder's absolute path, like `\/opt\/iskra-openclaw`$/],
    ["/opt/x\ny", /holds a control character, line break or bidirectional control/],
    ["/opt/\u2067x", /holds a control character/],
  ])("refuses the root %j", (root, message) => {
    expect(manifestRootProblem(root)).toMatch(message);
  });

  it("accepts plain hosts and absolute roots", () => {
    expect([manifestHostProblem("iskra"), manifestHostProblem("ws-01.example.org"), manifestRootProblem("/opt/iskra-openclaw"), manifestRootProblem("/")]).toEqual([null, null, null, null]);
  });
});
