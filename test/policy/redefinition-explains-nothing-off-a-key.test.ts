import { describe, expect, it } from "vitest";
import { explainRedefinition } from "../../src/policy/toml-redefinition.js";

// explainRedefinition names a table or key only when the error's position is on one; otherwise
// it returns null and parsePolicy gives smol-toml's own message.
describe("a redefinition explained only at a table or key", () => {
  it("explains nothing in a file with no table or key before the position", () => {
    expect(explainRedefinition("# only a comment\n", 1, 1)).toBeNull();
    expect(explainRedefinition("\n\n", 2, 1)).toBeNull();
  });

  it("explains nothing for a line past the end of the file, even when the last line holds a key", () => {
    expect(explainRedefinition("a = 1\na = 2", 5, 1)).toBeNull();
    expect(explainRedefinition("a = 1\na = 2", 2, 1)).not.toBeNull();
  });

  it("explains nothing for the blank just before a key", () => {
    expect(explainRedefinition("a = 1\n b = 2\n", 2, 1)).toBeNull();
    expect(explainRedefinition("a = 1\n b = 2\n", 2, 2)?.path).toBe("policy.b");
  });
});
