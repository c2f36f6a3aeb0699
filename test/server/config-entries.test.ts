import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";

function problems(env: Record<string, string>, file: Record<string, unknown> = {}) {
  const result = resolveServerConfig(env, file, "/srv");
  return result.ok ? [] : result.diagnostics;
}

describe("server configuration: every entry of a list is checked", () => {
  it("refuses PATCHWARDEN_OPERATORS / PRODUCERS entries that are not Forgejo logins, naming them", () => {
    const found = problems({ PATCHWARDEN_OPERATORS: "alice bob", PATCHWARDEN_PRODUCERS: "iskra-bot;ci" });
    expect(found.map((d) => d.path).sort()).toEqual(["PATCHWARDEN_OPERATORS", "PATCHWARDEN_PRODUCERS"]);
    expect(found.find((d) => d.path === "PATCHWARDEN_OPERATORS")?.message).toBe("`alice bob` is not a Forgejo login (letters, digits, `_`, `.`, `-`); separate entries with commas, e.g. `alice,iskra-bot`");
    expect(found.find((d) => d.path === "PATCHWARDEN_PRODUCERS")?.message).toMatch(/^`iskra-bot;ci` is not a Forgejo login/);
  });

  it("names every bad entry at once, and takes good lists from the environment or the file", () => {
    expect(problems({ PATCHWARDEN_OPERATORS: "alice, b c, -d" }).map((d) => d.message)).toEqual(["`b c`, `-d` are not Forgejo logins (letters, digits, `_`, `.`, `-`); separate entries with commas, e.g. `alice,iskra-bot`"]);
    expect(problems({ PATCHWARDEN_OPERATORS: "alice, piotr.d", PATCHWARDEN_PRODUCERS: "iskra-bot" })).toEqual([]);
    expect(problems({}, { producers: ["iskra bot"] }).map((d) => d.path)).toEqual(["producers in the config file"]);
  });

  it("refuses a PATCHWARDEN_REPOS that lists nothing, and names a bad repository", () => {
    expect(problems({ PATCHWARDEN_REPOS: " , " })).toEqual([{ path: "PATCHWARDEN_REPOS", message: "` , ` lists nothing; separate entries with commas, e.g. `owner/name,owner/other`, or unset it" }]);
    expect(problems({ PATCHWARDEN_OPERATORS: "," }).map((d) => d.path)).toEqual(["PATCHWARDEN_OPERATORS"]);
    expect(problems({ PATCHWARDEN_REPOS: "pdurlej/patchwarden, not a repo" })).toEqual([{ path: "PATCHWARDEN_REPOS", message: "`not a repo` is not `owner/name`; separate entries with commas, e.g. `owner/name,owner/other`" }]);
    // An empty list in the file says "none" on purpose, as an unset variable does.
    expect(problems({}, { repos: [] })).toEqual([]);
  });

  it("refuses a PATCHWARDEN_FORGEJO_TOKEN that an HTTP header cannot carry, without echoing it", () => {
    const found = problems({ PATCHWARDEN_FORGEJO_TOKEN: "read-token-€-pasted\n" });
    expect(found).toEqual([{ path: "PATCHWARDEN_FORGEJO_TOKEN", message: "character 12 (U+20AC) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it" }]);
    expect(problems({ PATCHWARDEN_FORGEJO_TOKEN: "0123456789abcdef0123456789abcdef01234567" })).toEqual([]);
  });

  it("holds every token to the review page's rule: a pasted non-breaking space or inner space is refused, not sent to fail as a 401", () => {
    expect(problems({ PATCHWARDEN_FORGEJO_TOKEN: "0123456789abcdef\u00a00123456789abcdef012345" }).map((d) => d.message)).toEqual([
      "character 17 (U+00A0) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it",
    ]);
    expect(problems({ PATCHWARDEN_FORGEJO_TOKEN: "0123456789abcdef 0123456789abcdef012345" }).map((d) => d.message)).toEqual([
      "character 17 (U+0020) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it",
    ]);
  });
});

describe("server configuration: a secret in a URL is never echoed", () => {
  it.each([
    ["https://bot:s3cr3t-read-token@git.example.org"],
    ["https://s3cr3t-read-token@git.example.org"],
    ["bot:s3cr3t-read-token@git.example.org"],
    ["https://git.example.org/?token=s3cr3t-read-token"],
  ])("PATCHWARDEN_FORGEJO_URL=%s", (url) => {
    const found = problems({ PATCHWARDEN_FORGEJO_URL: url });
    expect(found.map((d) => d.path)).toEqual(["PATCHWARDEN_FORGEJO_URL"]);
    expect(JSON.stringify(found)).not.toContain("s3cr3t-read-token");
    expect(found[0]!.message).toMatch(/\(not shown\); write the address alone, like `https:\/\/git\.example\.org`, and put the token in PATCHWARDEN_FORGEJO_TOKEN$/);
  });

  it("PATCHWARDEN_REVIEW_ORIGIN with a user name or password", () => {
    const found = problems({ PATCHWARDEN_REVIEW_ORIGIN: "https://alice:s3cr3t@patchwarden.example.org" });
    expect(found.map((d) => d.path)).toEqual(["PATCHWARDEN_REVIEW_ORIGIN"]);
    expect(JSON.stringify(found)).not.toContain("s3cr3t");
  });

  it("still echoes a URL with nothing secret in it, to show what is wrong", () => {
    expect(problems({ PATCHWARDEN_FORGEJO_URL: "git.example.org" })[0]?.message).toBe("`git.example.org` is not an http(s) URL of a Forgejo instance; write it like `https://git.example.org`");
  });
});
