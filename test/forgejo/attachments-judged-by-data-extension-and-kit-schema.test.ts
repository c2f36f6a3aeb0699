import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/evidence/artifact-bytes.js";
import { BUNDLE_SCHEMA_ID } from "../../src/evidence/bundle-schema.js";
import { KIT_BUNDLE_SCHEMA_ID } from "../../src/evidence/safe-update/kit-schemas.js";
import { documentRole, isBundleName } from "../../src/forgejo/bundle-detection.js";
import { fetchEvidence } from "../../src/forgejo/fetch-evidence.js";
import type { IssueJob } from "../../src/forgejo/jobs.js";
import { useFakeForgejo } from "../helpers/fake-forgejo.js";

const REPO = "o/r";
const forgejo = useFakeForgejo();
const job: IssueJob = { trigger: "label", repo: REPO, number: 7, isPull: false, sender: "root" };
const attachedOrigins = async (name: string, text: string): Promise<string[]> => {
  const issue = forgejo.fake.issue(REPO, 7);
  forgejo.fake.attach(issue, name, text);
  const units = await fetchEvidence(forgejo.reader(), job, { evidenceGlobs: [], limits: DEFAULT_LIMITS, maxBundles: 20 });
  expect(forgejo.fake.violations).toEqual([]);
  return units.map((unit) => unit.snapshot.origin);
};

describe("an attachment that is not named like a bundle but says it is one by its schema", () => {
  it("is judged when its name ends in .yml (as well as .yaml and .json)", async () => {
    expect(await attachedOrigins("run.yml", `schema: ${BUNDLE_SCHEMA_ID}\n`)).toEqual([`${REPO}#7, attachment run.yml`]);
  });

  it("is judged when its extension is written in capitals", async () => {
    expect(await attachedOrigins("RUN.JSON", JSON.stringify({ schema: BUNDLE_SCHEMA_ID }))).toEqual([`${REPO}#7, attachment RUN.JSON`]);
    expect(await attachedOrigins("Run.YML", `schema: ${BUNDLE_SCHEMA_ID}\n`)).toEqual([`${REPO}#7, attachment Run.YML`]);
  });

  it("is judged when its schema is a safe-update run's evidence bundle", async () => {
    expect(await attachedOrigins("kit-run.json", JSON.stringify({ schema: KIT_BUNDLE_SCHEMA_ID }))).toEqual([`${REPO}#7, attachment kit-run.json`]);
    expect(documentRole("kit-run.json", new TextEncoder().encode(JSON.stringify({ schema: KIT_BUNDLE_SCHEMA_ID })))).toBe("bundle");
  });
});

describe("the safe-update run's own name `evidence-bundle.json`", () => {
  it("counts only as the whole file name, not as the end of a longer one", () => {
    expect(isBundleName("evidence-bundle.json")).toBe(true);
    expect(isBundleName("runs/evidence-bundle.json")).toBe(true);
    expect(isBundleName("old-evidence-bundle.json")).toBe(false);
    expect(isBundleName("runs/myevidence-bundle.json")).toBe(false);
  });

  it("a data attachment whose name only ends that way, holding no bundle schema, is not evidence", async () => {
    // The issue then holds no bundle: its one unit is the issue itself, saying so.
    expect(await attachedOrigins("old-evidence-bundle.json", JSON.stringify({ note: "a copy kept for reference" }))).toEqual([`${REPO}#7`]);
    expect(documentRole("old-evidence-bundle.json", new TextEncoder().encode("{ not json"))).toBe("unreadable");
  });
});
