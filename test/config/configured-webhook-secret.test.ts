import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";

const SECRET = "0123456789abcdef0123456789abcdef";

function problems(env: Record<string, string>, file: Record<string, unknown> = {}) {
  const result = resolveServerConfig(env, file, "/srv");
  return result.ok ? [] : result.diagnostics;
}

const WHITESPACE =
  "begins or ends with whitespace (a space, tab or line break; e.g. from a CRLF environment file, or a secret file read with its newline), which Forgejo's copy does not have; remove the whitespace (the secret is not shown)";

// Forgejo signs with the secret as typed in its form: a copy that kept a line break or a space
// would fail every delivery with 401 "the hook's secret differs", though the secret is right.
describe("a configured webhook secret with whitespace around it or a control character in it", () => {
  it.each([
    ["a trailing newline (a secret file read into the environment)", `${SECRET}\n`],
    ["a trailing CR (a CRLF environment file)", `${SECRET}\r`],
    ["a trailing space", `${SECRET} `],
    ["a trailing tab", `${SECRET}\t`],
    ["a leading space", ` ${SECRET}`],
  ])("is refused, never echoed: %s", (_, value) => {
    const found = problems({ PATCHWARDEN_WEBHOOK_SECRET: value });
    expect(found).toEqual([{ path: "PATCHWARDEN_WEBHOOK_SECRET", message: WHITESPACE }]);
    expect(JSON.stringify(found)).not.toContain(SECRET);
  });

  it("is refused when it holds a control character, naming only its position and code", () => {
    const found = problems({ PATCHWARDEN_WEBHOOK_SECRET: `${SECRET.slice(0, 8)}\u0007${SECRET.slice(8)}` });
    expect(found).toEqual([
      {
        path: "PATCHWARDEN_WEBHOOK_SECRET",
        message: "character 9 (U+0007) is a control character, which a secret typed into Forgejo's form cannot hold; set the secret alone, exactly as Forgejo has it (the secret is not shown)",
      },
    ]);
  });

  it("is refused from the config file too, named by its key there", () => {
    expect(problems({}, { webhook_secret: `${SECRET}\r\n` })).toEqual([{ path: "webhook_secret in the config file", message: WHITESPACE }]);
  });

  it("is used as given when the whitespace is inside it", () => {
    const result = resolveServerConfig({ PATCHWARDEN_WEBHOOK_SECRET: "correct horse battery staple" }, {}, "/srv");
    expect(result.ok && result.config.webhookSecret).toBe("correct horse battery staple");
  });
});
