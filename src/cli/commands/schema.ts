import { bundleJsonSchema } from "../../evidence/bundle-json-schema.js";
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { quote } from "../../diagnostics/diagnostic.js";

const SCHEMAS: Record<string, () => Record<string, unknown>> = {
  "evidence-bundle": bundleJsonSchema,
};

export const schema: Command = {
  name: "schema",
  summary: "print the JSON Schema of a contract (for producers and editors)",
  usage: "patchwarden schema [evidence-bundle]",
  help: `Prints the JSON Schema (draft 2020-12) generated from Patchwarden's own definition of a
contract. Producers can validate their output with it before sending it to the gate.

  evidence-bundle   patchwarden.evidence_bundle.v1 (the default)`,
  options: {},
  positionals: { min: 0, max: 1 },
  async run(context) {
    const name = context.positionals[0] ?? "evidence-bundle";
    const make = SCHEMAS[name];
    if (make === undefined) throw new UsageError(`unknown contract ${quote(name)}; known: ${Object.keys(SCHEMAS).join(", ")}`);
    context.io.stdout(`${JSON.stringify(make(), null, 2)}\n`);
    return EXIT.ok;
  },
};
