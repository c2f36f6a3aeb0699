// A refused name is echoed in its refusal, written out, and cut to its first 300 characters.
import { describe, expect, it } from "vitest";
import { plainName } from "../../src/evidence/plain-name.js";

describe("the refusal of a name that is not plain text", () => {
  it("echoes the first 300 characters of the name, no more, no fewer", () => {
    const name = `${"a".repeat(299)}b${"c".repeat(100)}\u200b`;
    const result = plainName(1000).safeParse(name);
    expect(result.success).toBe(false);
    const message = result.error!.issues[0]!.message;
    expect(message.startsWith(`\`${"a".repeat(299)}b\` holds a control`)).toBe(true);
  });
});
