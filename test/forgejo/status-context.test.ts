import { describe, expect, it } from "vitest";
import { bundlePathOf, pushOrigin, statusContextFor } from "../../src/forgejo/push-origin.js";

describe("a commit status's context", () => {
  it("names the bundle's path, so two bundles of one push keep a status each", () => {
    const a = statusContextFor(pushOrigin("root/example", "ef98532add3b2feb7a137426bba1248724367df5", "evidence/a/diag.bundle.yaml"));
    const b = statusContextFor(pushOrigin("root/example", "ef98532add3b2feb7a137426bba1248724367df5", "evidence/b/diag.bundle.yaml"));
    expect(a).toBe("patchwarden/gate: evidence/a/diag.bundle.yaml");
    expect(b).not.toBe(a);
  });

  it("reads the path back from the origin as proposals show it", () => {
    expect(bundlePathOf(pushOrigin("o/r", "0123456789abcdef", "x:y/b.json"))).toBe("x:y/b.json");
    expect(bundlePathOf("o/r#4, attachment b.json")).toBeNull();
  });

  // Forgejo keeps a context in 255 characters, and a control or bidirectional character would
  // show the operator another path than the one judged.
  it.each(["e/" + "x".repeat(300) + ".json", "evidence/\u202egpj.json", "evidence/a\nb.json"])("names a long or unsafe path by its digest: %j", (path) => {
    const context = statusContextFor(pushOrigin("o/r", "0123456789abcdef", path));
    expect(context).toMatch(/^patchwarden\/gate: sha256:[0-9a-f]{16}$/);
  });

  it("stays `patchwarden/gate` for a proposal not about a pushed bundle", () => {
    expect(statusContextFor("push to o/r refs/heads/main")).toBe("patchwarden/gate");
  });
});
