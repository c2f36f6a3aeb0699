import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";

const FILE = "/etc/patchwarden/patchwarden.toml";

function resolved(env: Record<string, string | undefined>, file: Record<string, unknown> = {}) {
  return resolveServerConfig(env, file, "/srv", FILE);
}

function problems(env: Record<string, string | undefined>, file: Record<string, unknown> = {}) {
  const result = resolved(env, file);
  return result.ok ? [] : result.diagnostics;
}

const REVIEW_TOKEN_24 = "abcdefghijklmnopqrstuvwx";

describe("server configuration: numeric ranges take their bounds", () => {
  it("takes port 65535 and refuses 65536", () => {
    const top = resolved({ PATCHWARDEN_LISTEN: "127.0.0.1:65535" });
    expect(top.ok && top.config.listen).toEqual({ host: "127.0.0.1", port: 65535 });
    expect(problems({ PATCHWARDEN_LISTEN: "127.0.0.1:65536" })).toEqual([{ path: "PATCHWARDEN_LISTEN", message: "`127.0.0.1:65536`: the port must be 0–65535; write it like `127.0.0.1:8787`" }]);
  });

  it("takes a body limit of exactly 1024 bytes and of exactly 64 MiB, and refuses one byte outside either", () => {
    const low = resolved({ PATCHWARDEN_MAX_BODY_BYTES: "1024" });
    expect(low.ok && low.config.maxBodyBytes).toBe(1024);
    const high = resolved({ PATCHWARDEN_MAX_BODY_BYTES: "67108864" });
    expect(high.ok && high.config.maxBodyBytes).toBe(67108864);
    expect(problems({ PATCHWARDEN_MAX_BODY_BYTES: "1023" })).toEqual([{ path: "PATCHWARDEN_MAX_BODY_BYTES", message: "`1023` must be between 1024 and 67108864 bytes (64 MiB)" }]);
    expect(problems({ PATCHWARDEN_MAX_BODY_BYTES: "67108865" })).toEqual([{ path: "PATCHWARDEN_MAX_BODY_BYTES", message: "`67108865` must be between 1024 and 67108864 bytes (64 MiB)" }]);
  });

  it("takes a body limit written as a TOML number in the config file", () => {
    const result = resolved({}, { max_body_bytes: 2048 });
    expect(result.ok && result.config.maxBodyBytes).toBe(2048);
  });

  it("refuses a configured webhook secret of 15 characters and takes one of 16", () => {
    expect(problems({ PATCHWARDEN_WEBHOOK_SECRET: "0123456789abcde" })).toEqual([
      { path: "PATCHWARDEN_WEBHOOK_SECRET", message: "a webhook secret shorter than 16 characters is guessable; use a long random one (or unset it and let Patchwarden generate one)" },
    ]);
    const sixteen = resolved({ PATCHWARDEN_WEBHOOK_SECRET: "0123456789abcdef" });
    expect(sixteen.ok && sixteen.config.webhookSecret).toBe("0123456789abcdef");
  });
});

describe("server configuration: a setting that would select or send nothing is refused", () => {
  it("refuses evidence and policy globs that list nothing, each with what to write", () => {
    expect(problems({ PATCHWARDEN_EVIDENCE_GLOBS: ",", PATCHWARDEN_POLICY_GLOBS: " , " })).toEqual([
      { path: "PATCHWARDEN_EVIDENCE_GLOBS", message: "give at least one glob, e.g. `evidence/**/*.json`" },
      { path: "PATCHWARDEN_POLICY_GLOBS", message: "give at least one glob, e.g. `policies/**/*.toml`, or `none` for no policy what-ifs" },
    ]);
  });

  it("refuses `none` for the evidence globs, which it would read as files named `none`, judging no evidence without a word", () => {
    for (const none of ["none", " NONE "]) {
      expect(problems({ PATCHWARDEN_EVIDENCE_GLOBS: none })).toEqual([
        { path: "PATCHWARDEN_EVIDENCE_GLOBS", message: `\`${none}\` cannot turn this setting off (only the policy globs take \`none\`); give at least one glob, e.g. \`evidence/**/*.json\`` },
      ]);
    }
    // A glob that merely contains the word is a glob.
    expect(problems({ PATCHWARDEN_EVIDENCE_GLOBS: "none/**/*.json" })).toEqual([]);
  });

  it("refuses an output that lists nothing, rather than sending verdicts nowhere", () => {
    expect(problems({ PATCHWARDEN_OUTPUT: "," })).toEqual([{ path: "PATCHWARDEN_OUTPUT", message: "`,` must be `queue`, `stdout` or `queue,stdout`" }]);
  });

  it("refuses review tokens that list no pair, rather than reading them as a read-only page", () => {
    expect(problems({ PATCHWARDEN_REVIEW_TOKENS: "," })).toEqual([{ path: "PATCHWARDEN_REVIEW_TOKENS", message: "give at least one `login=token` pair, or unset it for a read-only review page" }]);
  });

  it("refuses an empty token, gate label or data folder from the config file", () => {
    expect(problems({}, { forgejo_token: "", gate_label: "", data_dir: "" })).toEqual([
      { path: `forgejo_token in \`${FILE}\``, message: "must not be empty" },
      { path: `data_dir in \`${FILE}\``, message: "must not be empty" },
      { path: `gate_label in \`${FILE}\``, message: "must not be empty" },
    ]);
  });
});

describe("server configuration: URLs", () => {
  it("refuses a Forgejo URL that is not http(s), or that carries a fragment", () => {
    expect(problems({ PATCHWARDEN_FORGEJO_URL: "ftp://git.example.org" })).toEqual([
      { path: "PATCHWARDEN_FORGEJO_URL", message: "`ftp://git.example.org` is not an http(s) URL of a Forgejo instance; write it like `https://git.example.org`" },
    ]);
    expect(problems({ PATCHWARDEN_FORGEJO_URL: "https://git.example.org/#frag" })).toEqual([
      { path: "PATCHWARDEN_FORGEJO_URL", message: "`https://git.example.org/#frag` is not an http(s) URL of a Forgejo instance; write it like `https://git.example.org`" },
    ]);
  });

  it("refuses a review origin that is not http(s)", () => {
    expect(problems({ PATCHWARDEN_REVIEW_ORIGIN: "ftp://patchwarden.example.org" })).toEqual([
      { path: "PATCHWARDEN_REVIEW_ORIGIN", message: "`ftp://patchwarden.example.org` is not an origin; write the address the review page is reached at, like `https://patchwarden.example.org`" },
    ]);
  });

  it.each([
    ["a password without a user name", "https://:s3cr3t-read-token@git.example.org"],
    ["an `@` in a value that is not a URL at all", "bot s3cr3t-read-token@git.example.org"],
  ])("never echoes a Forgejo URL holding %s", (_, url) => {
    const found = problems({ PATCHWARDEN_FORGEJO_URL: url });
    expect(found).toEqual([
      { path: "PATCHWARDEN_FORGEJO_URL", message: "holds a user name or password (not shown); write the address alone, like `https://git.example.org`, and put the token in PATCHWARDEN_FORGEJO_TOKEN" },
    ]);
    expect(JSON.stringify(found)).not.toContain("s3cr3t-read-token");
  });
});

describe("server configuration: list entries and listen addresses", () => {
  it("refuses a repository with more than one slash", () => {
    expect(problems({ PATCHWARDEN_REPOS: "a/b/c" })).toEqual([{ path: "PATCHWARDEN_REPOS", message: "`a/b/c` is not `owner/name`; separate entries with commas, e.g. `owner/name,owner/other`" }]);
  });

  it("reads a bracketed IPv6 listen address as its bare host", () => {
    const result = resolved({ PATCHWARDEN_LISTEN: "[::1]:8787" });
    expect(result.ok && result.config.listen).toEqual({ host: "::1", port: 8787 });
  });

  it("ignores a variable whose value is undefined, as an unset one", () => {
    expect(problems({ PATCHWARDEN_NOT_A_SETTING: undefined })).toEqual([]);
  });
});

describe("server configuration: review tokens", () => {
  it("takes a token of exactly 24 characters and refuses one of 23", () => {
    const result = resolved({ PATCHWARDEN_REVIEW_TOKENS: `alice=${REVIEW_TOKEN_24}` });
    expect(result.ok && [...result.config.reviewTokens]).toEqual([["alice", REVIEW_TOKEN_24]]);
    expect(problems({ PATCHWARDEN_REVIEW_TOKENS: `alice=${REVIEW_TOKEN_24.slice(1)}` })).toEqual([
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "the token of `alice` has 23 characters; use at least 24 random ones (e.g. `openssl rand -hex 24`)" },
    ]);
  });

  it("refuses a token holding inner whitespace or a control character, never echoing it", () => {
    const spaced = "abcdefghijkl mnopqrstuvwxyz";
    const bell = "abcdefghijklmnopqrstuvw\u0007yz";
    const found = problems({ PATCHWARDEN_REVIEW_TOKENS: `alice=${spaced},bob=${bell}` });
    expect(found).toEqual([
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "the token of `alice` holds whitespace or control characters; use printable characters only" },
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "the token of `bob` holds whitespace or control characters; use printable characters only" },
    ]);
    expect(JSON.stringify(found)).not.toContain("abcdefghijkl");
  });

  it("says only that each short token is short, not that two short tokens are the same", () => {
    expect(problems({ PATCHWARDEN_REVIEW_TOKENS: "alice=short,bob=short" })).toEqual([
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "the token of `alice` has 5 characters; use at least 24 random ones (e.g. `openssl rand -hex 24`)" },
      { path: "PATCHWARDEN_REVIEW_TOKENS", message: "the token of `bob` has 5 characters; use at least 24 random ones (e.g. `openssl rand -hex 24`)" },
    ]);
  });
});

describe("server configuration: characters a token or a secret cannot hold", () => {
  it("refuses a Forgejo token holding DEL, naming its position and code", () => {
    expect(problems({ PATCHWARDEN_FORGEJO_TOKEN: "abc\u007fdef0123456789" })).toEqual([
      { path: "PATCHWARDEN_FORGEJO_TOKEN", message: "character 4 (U+007F) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it" },
    ]);
  });

  it("refuses a webhook secret holding a C1 control (NEL), never echoing it", () => {
    const found = problems({ PATCHWARDEN_WEBHOOK_SECRET: "0123456789abcd\u0085ef" });
    expect(found).toEqual([
      {
        path: "PATCHWARDEN_WEBHOOK_SECRET",
        message: "character 15 (U+0085) is a control character, which a secret typed into Forgejo's form cannot hold; set the secret alone, exactly as Forgejo has it (the secret is not shown)",
      },
    ]);
  });
});
