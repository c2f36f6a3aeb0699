import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { readManifest } from "../../src/drift/read-manifest.js";
import { validateBundle } from "../../src/evidence/validate-bundle.js";
import { readPolicy } from "../../src/policy/read-policy.js";
import { fixture } from "../helpers/paths.js";
import { driftFixtureFiles } from "./fixture-set.js";

const policy = await readPolicy();
const update = process.env["PATCHWARDEN_UPDATE_FIXTURES"] === "1";
// The files record the digest of the policy they were made under (see driftFixtureFiles); an
// update records the shipped policy's current digest.
const digest = update ? policy.digest : JSON.parse(readFileSync(fixture("drift/no-drift.bundle.json"), "utf8")).evidence[1].data.policy.digest;
const files = driftFixtureFiles(policy, digest);
if (update) {
  for (const [path, text] of files) {
    mkdirSync(dirname(fixture(path)), { recursive: true });
    writeFileSync(fixture(path), text);
  }
}

describe("the drift fixtures are what the code makes", () => {
  for (const [path, text] of files) {
    it(path, () => {
      expect(readFileSync(fixture(path), "utf8")).toBe(text);
    });
  }

  it("every manifest reads back valid, and every bundle passes the bundle contract", () => {
    let manifests = 0;
    let bundles = 0;
    for (const [path, text] of files) {
      if (path.endsWith(".manifest.json")) {
        expect(readManifest(Buffer.from(text), path).ok, path).toBe(true);
        manifests++;
      } else if (path.endsWith(".bundle.json")) {
        expect(validateBundle(JSON.parse(text)).ok, path).toBe(true);
        bundles++;
      }
    }
    expect(manifests).toBe(12);
    expect(bundles).toBeGreaterThanOrEqual(12);
  });
});
