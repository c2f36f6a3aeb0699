import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evidenceItemSchema } from "../../src/evidence/bundle-schema.js";
import { EVIDENCE_KINDS } from "../../src/evidence/kinds.js";
import { REPO_ROOT } from "../helpers/paths.js";

const spec = readFileSync(join(REPO_ROOT, "docs/iskra-openclaw-evidence-bundle-spec.md"), "utf8");

describe("docs/iskra-openclaw-evidence-bundle-spec.md", () => {
  for (const kind of EVIDENCE_KINDS) {
    it(`shows a valid example of \`${kind}\`, identical to its fixture file`, () => {
      const file = `fixtures/examples/kinds/${kind}.json`;
      const block = new RegExp(`### \`${kind}\`[\\s\\S]*?<!-- example: ${file.replace(/\./g, "\\.")} -->\\n\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(spec);
      expect(block, `no example block for ${kind}`).not.toBeNull();
      expect(block![1]).toBe(readFileSync(join(REPO_ROOT, file), "utf8"));
      const item = JSON.parse(block![1]!) as { kind: string };
      expect(item.kind).toBe(kind);
      expect(evidenceItemSchema.safeParse(item).success).toBe(true);
    });
  }
});
