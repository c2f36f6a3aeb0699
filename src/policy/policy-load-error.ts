import { formatDiagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";

/** A policy that cannot be used: unreadable, or invalid with every problem listed. Exit 2 at the CLI. */
export class PolicyLoadError extends Error {
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(`${file}: invalid policy\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join("\n")}`);
    this.name = "PolicyLoadError";
  }
}
