import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../../src/config/server-config.js";
import { SHIPPED_POLICY_PATH } from "../../src/policy/read-policy.js";

describe("server configuration", () => {
  it("runs on embedded defaults with nothing set: loopback, ./data, the shipped policy, no repositories", () => {
    const result = resolveServerConfig({}, {}, "/srv/patchwarden");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      listen: { host: "127.0.0.1", port: 8787 },
      dataDir: "/srv/patchwarden/data",
      policyPath: SHIPPED_POLICY_PATH,
      gateLabel: "patchwarden/gate-check",
      evidenceGlobs: ["evidence/**/*.json", "evidence/**/*.yaml"],
      webhookSecret: undefined,
    });
    expect([...result.config.repos]).toEqual([]);
    expect([...result.config.output]).toEqual(["queue"]);
  });

  it("policy what-ifs: the shipped policies by default, none with `none` written any way", () => {
    const globs = (value?: string) => {
      const result = resolveServerConfig(value === undefined ? {} : { PATCHWARDEN_POLICY_GLOBS: value }, {}, "/srv/patchwarden");
      return result.ok ? result.config.policyGlobs : result;
    };
    expect(globs()).toEqual(["policies/**/*.toml"]);
    for (const off of ["none", "None", " NONE "]) expect(globs(off)).toEqual([]);
    expect(globs("ops/policy/*.toml, policies/*.toml")).toEqual(["ops/policy/*.toml", "policies/*.toml"]);
  });

  it("a listen value that is not host:port gets that one message, not a second about a port it does not have", () => {
    for (const value of ["foo", "foo:", "[::1]"]) {
      const result = resolveServerConfig({ PATCHWARDEN_LISTEN: value }, {}, "/tmp");
      const messages = result.ok ? [] : result.diagnostics.filter((d) => d.path === "PATCHWARDEN_LISTEN").map((d) => d.message);
      expect(messages).toEqual([`\`${value}\` is not \`host:port\`; write it like \`127.0.0.1:8787\``]);
    }
    const tooHigh = resolveServerConfig({ PATCHWARDEN_LISTEN: "127.0.0.1:70000" }, {}, "/tmp");
    expect(tooHigh.ok ? [] : tooHigh.diagnostics.map((d) => d.message)).toEqual(["`127.0.0.1:70000`: the port must be 0–65535; write it like `127.0.0.1:8787`"]);
    const tiny = resolveServerConfig({ PATCHWARDEN_MAX_BODY_BYTES: "100" }, {}, "/tmp");
    expect(tiny.ok ? [] : tiny.diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual(["PATCHWARDEN_MAX_BODY_BYTES: `100` must be between 1024 and 67108864 bytes (64 MiB)"]);
  });

  it("refuses a repository glob that cannot select the files it names, naming each", () => {
    const result = resolveServerConfig({ PATCHWARDEN_EVIDENCE_GLOBS: "evidence/[!.]*.json,/evidence/**,evidence/**/*.yaml", PATCHWARDEN_POLICY_GLOBS: "policies/[!_]*.toml" }, {}, "/tmp");
    expect(result.ok ? [] : result.diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual([
      "PATCHWARDEN_EVIDENCE_GLOBS: `evidence/[!.]*.json` opens a class with `[!`, which picomatch reads as matching `!` and the rest, not as negation; write `[^` to negate, like `evidence/[^.]*.json`, or put the `!` later in the class to match it",
      "PATCHWARDEN_EVIDENCE_GLOBS: `/evidence/**` starts with `/`; globs match paths from the repository's root, like `evidence/**/*.json`",
      "PATCHWARDEN_POLICY_GLOBS: `policies/[!_]*.toml` opens a class with `[!`, which picomatch reads as matching `!` and the rest, not as negation; write `[^` to negate, like `policies/[^_]*.toml`, or put the `!` later in the class to match it",
    ]);
    expect(resolveServerConfig({ PATCHWARDEN_POLICY_GLOBS: "none", PATCHWARDEN_EVIDENCE_GLOBS: "evidence/[^.]*.json" }, {}, "/tmp").ok).toBe(true);
  });

  it("lists every problem at once, named by the variable the operator set", () => {
    const result = resolveServerConfig(
      {
        PATCHWARDEN_FORGEJO_URL: "git.example.org",
        PATCHWARDEN_LISTEN: "8787",
        PATCHWARDEN_REPOS: "pdurlej/patchwarden, not a repo",
        PATCHWARDEN_OUTPUT: "queue,slack",
        PATCHWARDEN_WEBHOOK_SECRET: "short",
        PATCHWARDEN_MAX_BODY_BYTES: "lots",
      },
      { listne: "127.0.0.1:1" },
      "/",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => d.path).sort()).toEqual(
      ["PATCHWARDEN_FORGEJO_URL", "PATCHWARDEN_LISTEN", "PATCHWARDEN_MAX_BODY_BYTES", "PATCHWARDEN_OUTPUT", "PATCHWARDEN_REPOS", "PATCHWARDEN_WEBHOOK_SECRET", "listne in the config file"].sort(),
    );
    expect(result.diagnostics.find((d) => d.path === "PATCHWARDEN_LISTEN")?.message).toBe("`8787` is not `host:port`; write it like `127.0.0.1:8787`");
    expect(result.diagnostics.find((d) => d.path === "listne in the config file")?.message).toBe("unknown setting `listne`; did you mean `listen`?");
  });

  it("refuses a setting named like a built-in property of objects", () => {
    const result = resolveServerConfig({}, { constructor: "x", toString: "y" }, "/srv");
    expect(result.ok ? [] : result.diagnostics.map((d) => d.path).sort()).toEqual(["constructor in the config file", "toString in the config file"]);
  });

  it("takes the environment over the config file, and the file over the defaults", () => {
    const result = resolveServerConfig({ PATCHWARDEN_GATE_LABEL: "from-env" }, { gate_label: "from-file", operators: ["piotr", "iskra"], listen: "0.0.0.0:9000" }, "/");
    expect(result.ok && result.config).toMatchObject({ gateLabel: "from-env", listen: { host: "0.0.0.0", port: 9000 } });
    expect(result.ok && [...result.config.operators]).toEqual(["piotr", "iskra"]);
  });
});
