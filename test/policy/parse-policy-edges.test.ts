import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
import { boundedSeconds } from "../../src/policy/duration-limits.js";
import { MAX_POLICY_BYTES, parsePolicy } from "../../src/policy/parse-policy.js";
import { PolicyLoadError, readPolicy } from "../../src/policy/read-policy.js";
import { SHIPPED } from "../helpers/policy-text.js";


function problems(input: string | Uint8Array): string[] {
  const parsed = parsePolicy(typeof input === "string" ? Buffer.from(input) : input);
  if (parsed.ok) throw new Error("expected the policy to be refused");
  return parsed.diagnostics.map(formatDiagnostic);
}

/** The shipped policy padded with a trailing comment to exactly `size` bytes. */
function paddedTo(size: number): Buffer {
  const head = `${SHIPPED}\n# `;
  const body = Buffer.byteLength(head);
  return Buffer.from(`${head}${"x".repeat(size - body - 1)}\n`);
}

describe("the size limit of a policy file", () => {
  it("accepts a policy of exactly 1 MiB", () => {
    const bytes = paddedTo(MAX_POLICY_BYTES);
    expect(bytes.byteLength).toBe(MAX_POLICY_BYTES);
    expect(parsePolicy(bytes).ok).toBe(true);
  });

  it("refuses a policy one byte over 1 MiB, saying how large it is", () => {
    const bytes = paddedTo(MAX_POLICY_BYTES + 1);
    expect(problems(bytes)).toEqual([`policy: the file is ${MAX_POLICY_BYTES + 1} bytes, over the 1 MiB limit for a policy`]);
  });
});

describe("a policy file must be UTF-8", () => {
  it("refuses a byte that is not UTF-8, even inside a comment that would otherwise be ignored", () => {
    const bytes = Buffer.concat([Buffer.from(`${SHIPPED}\n# `), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]);
    expect(problems(bytes)).toEqual(["policy: the file is not valid UTF-8; save it as UTF-8 text"]);
  });
});

describe("the shape of classes", () => {
  it("refuses a hard-manual class with no actions", () => {
    expect(problems(`${SHIPPED}\n[hard_manual.empty_one]\ndescription = "Nothing in it."\nactions = []\n`)).toEqual([
      "policy.hard_manual.empty_one.actions: needs at least 1 item(s)",
    ]);
  });

  it("refuses a hard-manual reference in a repair class that is not an identifier", () => {
    const toml = SHIPPED.replace(
      'hard_manual = ["service_restart"]\nexecutor = "the operator: systemctl',
      'hard_manual = ["Service_Restart"]\nexecutor = "the operator: systemctl',
    );
    expect(problems(toml)).toEqual([
      "policy.repair_classes.gateway_restart.hard_manual[0]: `Service_Restart` is not an identifier; use lowercase letters, digits and `_`",
    ]);
  });

  it("refuses a policy name over 200 characters, and accepts one of exactly 200", () => {
    const named = (name: string) => SHIPPED.replace('name = "iskra-openclaw"', `name = "${name}"`);
    expect(problems(named("a".repeat(201)))).toEqual(["policy.name: is longer than 200 characters"]);
    expect(parsePolicy(Buffer.from(named("a".repeat(200)))).ok).toBe(true);
  });
});

describe("boundedSeconds: durations past the schema are read at the strict end", () => {
  it("reads an unparsable duration as 0 seconds, never as the limit", () => {
    expect(boundedSeconds("soon", 3_600)).toBe(0);
    expect(boundedSeconds("", 86_400)).toBe(0);
  });

  it("clamps a duration over the limit to the limit, and keeps one under it", () => {
    expect(boundedSeconds("2h", 3_600)).toBe(3_600);
    expect(boundedSeconds("15m", 3_600)).toBe(900);
  });
});

describe("readPolicy names the file it cannot read in full", () => {
  it("echoes a long missing path whole, so the operator can find it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pw-policy-read-"));
    try {
      const file = join(dir, `${"deep-folder-name/".repeat(10)}policy.toml`);
      expect(file.length).toBeGreaterThan(80);
      const error = await readPolicy(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyLoadError);
      const [diagnostic] = (error as PolicyLoadError).diagnostics;
      expect(diagnostic!.path).toBe("policy");
      expect(diagnostic!.message).toMatch(/^cannot read `(.*)` \(.*\); give the path of a policy TOML file$/);
      expect(diagnostic!.message).toContain(`\`${file}\``);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
