import { describe, expect, it } from "vitest";
import { classify } from "../../src/drift/drift-rules.js";
import { parsePolicy } from "../../src/policy/parse-policy.js";
import { policyProblems, SHIPPED } from "../helpers/policy-text.js";

// The fourth risk rule, risk_rules[3].
const TLS = '{ glob = "**/*.{pem,key,crt,p12}", risk = "high"';
const withTlsGlob = (glob: string) => SHIPPED.replace(TLS, `{ glob = "${glob}", risk = "high"`);
const withFirstRule = (rule: string) => SHIPPED.replace("risk_rules = [\n", `risk_rules = [\n  ${rule},\n`);


describe("drift risk-rule globs that could never match are refused", () => {
  it.each([
    ["an unclosed brace", "**/*.{pem,key,crt,p12", "`**/*.{pem,key,crt,p12` has an unclosed `{`, so it is read literally and matches no file; pair its `{}`, `[]` and `()`"],
    ["an unclosed bracket", "tls/*.[pk", "`tls/*.[pk` has an unclosed `[`, so it is read literally and matches no file; pair its `{}`, `[]` and `()`"],
    ["a stray closing paren", "tls/*.key)", "`tls/*.key)` has a `)` with no `(` before it, so it is read literally and matches no file; pair its `{}`, `[]` and `()`"],
    ["a trailing slash", "tls/", "`tls/` ends in `/`, but manifest paths name files, never folders, so it matches nothing; write `tls/**` for every file under it"],
    ["a backslash", "tls\\\\*.key", "`tls\\*.key` holds a backslash; manifest paths are `/`-separated and hold no escapes, so write `/` or remove it"],
  ])("refuses %s", (_label, glob, message) => {
    expect(SHIPPED).toContain(TLS);
    expect(policyProblems(withTlsGlob(glob))).toEqual([`policy.drift.risk_rules[3].glob: ${message}`]);
  });

  it("refuses a catch-all rule that makes every later rule unreachable, once, at the catch-all", () => {
    expect(policyProblems(withFirstRule('{ glob = "**", risk = "low", description = "anything" }'))).toEqual([
      "policy.drift.risk_rules[0].glob: `**` matches every path, so the 12 rules after it are never reached; move it last, or remove it and set `default_risk`",
    ]);
    expect(policyProblems(withFirstRule('{ glob = "**/*", risk = "low" }'))).toEqual([expect.stringMatching(/^policy\.drift\.risk_rules\[0\]\.glob: `\*\*\/\*` matches every path/)]);
  });

  it("accepts a catch-all as the last rule, and a negated glob anywhere", () => {
    const withCatchAll = SHIPPED.replace(/(risk_rules = \[\n[\s\S]*?)\n\]/, '$1\n  { glob = "**", risk = "medium", description = "everything else" },\n]');
    // A replace that matched nothing would accept the shipped policy and prove nothing.
    expect(withCatchAll).toContain('{ glob = "**", risk = "medium", description = "everything else" },\n]');
    const last = parsePolicy(Buffer.from(withCatchAll));
    expect(last.ok).toBe(true);
    if (last.ok) expect(classify(last.policy.drift!, "systemd/user/openclaw-gateway.service")).toMatchObject({ risk: "high", hardManual: "service_restart" });
    const negated = withFirstRule('{ glob = "!**/*.md", risk = "medium" }');
    expect(negated).toContain('risk_rules = [\n  { glob = "!**/*.md", risk = "medium" },\n');
    expect(parsePolicy(Buffer.from(negated)).ok).toBe(true);
  });

  it("refuses a glob listed twice: the second rule is never reached", () => {
    expect(policyProblems(withFirstRule('{ glob = "docs/**", risk = "medium" }'))).toEqual([
      "policy.drift.risk_rules[10].glob: `docs/**` is the glob of risk_rules[0] already, which wins; remove one",
    ]);
  });

  it("keeps the shipped globs, braces, globstars and dotfiles included", () => {
    const parsed = parsePolicy(Buffer.from(SHIPPED));
    if (!parsed.ok) throw new Error("shipped policy invalid");
    expect(classify(parsed.policy.drift!, "tls/server.key").risk).toBe("high");
  });
});
