import type { Document, DocumentOptions, LineCounter, ParseOptions, SchemaOptions, YAMLError } from "yaml";
import { yamlTokensNestDeeper } from "./yaml-depth.js";

type Yaml = typeof import("yaml");

/**
 * The yaml library's own parseDocument, in its stages, with the nesting checked between them. Its
 * lexer and parser are iterative, but its composer recurses once per level: 800 to 900 levels
 * (`- - - …` on one line is 2 KB) exhaust the stack, and a later parse in the same process can then
 * abort it (V8 `RegExpCompiler Allocation failed`), which nothing catches. So the parsed structure
 * is measured first, and null is returned when it nests deeper than `maxDepth`.
 */
export function composeYaml(yaml: Yaml, text: string, options: ParseOptions & DocumentOptions & SchemaOptions, maxDepth: number): Document.Parsed | null {
  const lines = new yaml.LineCounter();
  const tokens = [...new yaml.Parser(lines.addNewLine).parse(text)];
  if (yamlTokensNestDeeper(tokens, maxDepth)) return null;
  let document: Document.Parsed | undefined;
  // With forceDoc the composer always yields a document, even for empty text.
  for (const next of new yaml.Composer(options).compose(tokens, true, text.length)) {
    if (document === undefined) {
      document = next;
    } else {
      document.errors.push(new yaml.YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"));
      break;
    }
  }
  for (const problem of [...document!.errors, ...document!.warnings]) locate(problem, lines);
  return document!;
}

/** What the library's prettyErrors option does, less the quoted source lines no message here shows. */
function locate(problem: YAMLError, lines: LineCounter): void {
  if (problem.pos[0] === -1) return;
  const [start, end] = [lines.linePos(problem.pos[0]), lines.linePos(problem.pos[1])];
  problem.linePos = [start, end];
  problem.message += ` at line ${start.line}, column ${start.col}`;
}
