import { describe, expect, it } from "vitest";
import { matchOperator } from "../../src/server/review/credentials.js";
import { SESSION_MS, Sessions } from "../../src/server/review/sessions.js";
import { SignedOutSessions } from "../../src/server/review/signed-out-sessions.js";
import { ALICE_TOKEN } from "./helpers.js";

describe("an unknown login", () => {
  it("never matches, not even with the text an unknown login is compared against", () => {
    const tokens = new Map([["alice", ALICE_TOKEN]]);
    expect(matchOperator(tokens, "mallory", "patchwarden: no such login")).toBeNull();
    expect(matchOperator(tokens, "", "patchwarden: no such login")).toBeNull();
    expect(matchOperator(tokens, "alice", "patchwarden: no such login")).toBeNull();
  });
});

describe("a session's end", () => {
  it("is the very millisecond of its expiry: valid one millisecond before, refused at it", () => {
    const tokens = new Map([["alice", ALICE_TOKEN]]);
    const sessions = new Sessions(Buffer.alloc(32, 3), tokens, new SignedOutSessions(null));
    const { session, cookie } = sessions.issue("alice", 1_000);
    expect(session.expiresAt).toBe(1_000 + SESSION_MS);
    expect(sessions.verify(cookie, 1_000 + SESSION_MS - 1)).toEqual({ login: "alice", id: session.id, expiresAt: 1_000 + SESSION_MS });
    expect(sessions.verify(cookie, 1_000 + SESSION_MS)).toBeNull();
  });

  it("refuses a cookie for a login that has no token configured, without throwing", () => {
    const key = Buffer.alloc(32, 3);
    const { cookie } = new Sessions(key, new Map([["alice", ALICE_TOKEN]]), new SignedOutSessions(null)).issue("alice", 0);
    expect(new Sessions(key, new Map(), new SignedOutSessions(null)).verify(cookie, 1)).toBeNull();
  });
});
