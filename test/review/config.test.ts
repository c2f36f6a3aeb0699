import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";
import { ALICE_TOKEN, BOB_TOKEN } from "./helpers.js";

describe("PATCHWARDEN_REVIEW_TOKENS and PATCHWARDEN_REVIEW_ORIGIN", () => {
  it("have no default: without them the page is read-only and served on loopback only", () => {
    const result = resolveServerConfig({}, {}, "/");
    expect(result.ok && result.config.reviewTokens.size).toBe(0);
    expect(result.ok && result.config.reviewOrigin).toBeUndefined();
  });

  it("read login=token pairs, from the environment or the config file", () => {
    const env = resolveServerConfig({ PATCHWARDEN_REVIEW_TOKENS: ` alice=${ALICE_TOKEN} , bob=${BOB_TOKEN}` }, {}, "/");
    expect(env.ok && [...env.config.reviewTokens]).toEqual([["alice", ALICE_TOKEN], ["bob", BOB_TOKEN]]);
    const file = resolveServerConfig({}, { review_tokens: [`alice=${ALICE_TOKEN}`], review_origin: "https://patchwarden.example.org" }, "/");
    expect(file.ok && [...file.config.reviewTokens]).toEqual([["alice", ALICE_TOKEN]]);
    expect(file.ok && file.config.reviewOrigin?.origin).toBe("https://patchwarden.example.org");
  });

  it("list every problem, each named by the variable, and never echo a token", () => {
    const short = "short-token";
    const result = resolveServerConfig(
      { PATCHWARDEN_REVIEW_TOKENS: `alice=${short},${BOB_TOKEN},carol=${ALICE_TOKEN},alice=${ALICE_TOKEN}x,dave=${ALICE_TOKEN}`, PATCHWARDEN_REVIEW_ORIGIN: "https://patchwarden.example.org/review" },
      {},
      "/",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toEqual([
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "the token of `alice` has 11 characters; use at least 24 random ones (e.g. `openssl rand -hex 24`)" },
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "pair 2 does not start with a Forgejo login and `=`; write it like `alice=<token>`" },
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "`alice` is given twice; give each login once" },
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "`dave` has the same token as `carol`; give each operator a token of their own" },
      { path: "PATCHWARDEN_REVIEW_ORIGIN", message: "`https://patchwarden.example.org/review` is not an origin; write the address the review page is reached at, like `https://patchwarden.example.org`" },
    ]);
    const text = JSON.stringify(result.diagnostics);
    for (const secret of [short, ALICE_TOKEN, BOB_TOKEN]) expect(text).not.toContain(secret);
  });
});
