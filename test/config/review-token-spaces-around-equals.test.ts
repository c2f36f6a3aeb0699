import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";

const ALICE = "abcdefghijklmnopqrstuvwx0123";
const BOB = "0123456789abcdefghijklmnopqr";

describe("review tokens written with spaces around `=`", () => {
  it("maps each login to its token without the spaces, as the check of the pairs read them", () => {
    const result = resolveServerConfig({ PATCHWARDEN_REVIEW_TOKENS: `alice = ${ALICE}, bob=  ${BOB}` }, {}, "/srv");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.config.reviewTokens]).toEqual([
      ["alice", ALICE],
      ["bob", BOB],
    ]);
  });

  it("does the same for a TOML list in the config file", () => {
    const result = resolveServerConfig({}, { review_tokens: [`alice =\t${ALICE}`] }, "/srv");
    expect(result.ok && result.config.reviewTokens.get("alice")).toBe(ALICE);
  });
});
