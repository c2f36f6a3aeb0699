import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";
import { LIST_SETTINGS, SETTINGS } from "../../src/config/settings.js";

function problems(file: Record<string, unknown>) {
  const result = resolveServerConfig({}, file, "/srv", "/etc/patchwarden/patchwarden.toml");
  return result.ok ? [] : result.diagnostics;
}

// Joined with commas, `gate_label = ["gate/a", "gate/b"]` would be the one label `gate/a,gate/b`,
// which no issue carries (every check request ignored), `webhook_secret = [...]` a secret with a
// comma in it (every delivery 401), `data_dir = [...]` a folder named `a,b`.
describe("a TOML list in the PATCHWARDEN_CONFIG file", () => {
  it("is refused for every setting that takes one value, naming the key and the file", () => {
    const single = Object.keys(SETTINGS).filter((key) => !LIST_SETTINGS.has(key as keyof typeof SETTINGS));
    expect(single).toContain("gate_label");
    for (const key of single) {
      expect(problems({ [key]: ["one", "two"] }), key).toEqual([{ path: `${key} in \`/etc/patchwarden/patchwarden.toml\``, message: "give one value in quotes, not a list" }]);
    }
  });

  it("is taken for the comma-separated settings, as their list", () => {
    const result = resolveServerConfig(
      {},
      {
        repos: ["iskra/ops", "iskra/openclaw"],
        operators: ["alice", "bob"],
        producers: ["iskra-bot"],
        evidence_globs: ["evidence/**/*.json"],
        policy_globs: ["policies/*.toml"],
        output: ["queue", "stdout"],
      },
      "/srv",
      "/etc/patchwarden/patchwarden.toml",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.config.repos]).toEqual(["iskra/ops", "iskra/openclaw"]);
    expect([...result.config.operators]).toEqual(["alice", "bob"]);
    expect([...result.config.producers]).toEqual(["iskra-bot"]);
    expect(result.config.evidenceGlobs).toEqual(["evidence/**/*.json"]);
    expect(result.config.policyGlobs).toEqual(["policies/*.toml"]);
    expect([...result.config.output]).toEqual(["queue", "stdout"]);
  });

  it("is not looked at when the environment sets the setting", () => {
    const result = resolveServerConfig({ PATCHWARDEN_GATE_LABEL: "gate/a" }, { gate_label: ["gate/a", "gate/b"] }, "/srv", "/etc/patchwarden/patchwarden.toml");
    expect(result.ok && result.config.gateLabel).toBe("gate/a");
  });
});
