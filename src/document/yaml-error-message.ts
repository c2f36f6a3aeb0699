import { quote } from "../diagnostics/diagnostic.js";
import { UNSAFE_CHARACTERS } from "../markdown/unsafe-characters.js";

/** The parts of a yaml library error (YAMLParseError, YAMLWarning) a message is made from. */
export interface YamlProblem {
  code?: string;
  message: string;
  linePos?: [{ line: number; col: number }, ...unknown[]];
}

const FIX_SYNTAX = "fix the syntax (a YAML linter shows the spot)";

/**
 * A yaml library error in our words. The library's messages repeat the source they stopped at
 * ("Unknown directive %…", "Unsupported YAML version …", "Invalid escape sequence …"), and the
 * message reaches a Forgejo comment and a terminal: so no library text is passed through. The codes
 * whose messages carry source text get a message of ours, with that text through `quote()`; any
 * other code keeps only the library's own words, and says where.
 */
export function describeYamlError(problem: YamlProblem): string {
  const text = libraryText(problem.message);
  const where = location(problem);
  switch (problem.code) {
    case "MULTIPLE_DOCS":
      return "the file holds several YAML documents (`---`); a bundle is one document";
    case "BAD_DIRECTIVE":
      return describeDirective(text, where);
    case "TAG_RESOLVE_FAILED":
      return describeTag(text, where);
    case "BAD_DQ_ESCAPE": {
      const escape = /^Invalid escape sequence (.+)$/s.exec(text)?.[1];
      return `${escape !== undefined ? `the escape ${quote(escape)}` : "an escape"}${where} in a double-quoted string is not valid YAML; write a backslash as \`\\\\\`, or put the value in single quotes`;
    }
    case "BAD_SCALAR_START": {
      const start = /(?:character|indicator) (.)$/s.exec(text)?.[1];
      const named = start === undefined ? (/a tab character$/.test(text) ? "a tab" : "that character") : start === "`" ? "a backtick" : quote(start);
      return `a plain value${where} cannot start with ${named}; put the value in quotes`;
    }
    case "UNEXPECTED_TOKEN":
      return describeUnexpected(text, where);
    default:
      // The rest of the library's messages are its own words (token type names at most).
      return `${lowerFirst(plain(text))}${where}; ${FIX_SYNTAX}`;
  }
}

/**
 * The message of an error the yaml library throws while converting the document (aliases): its
 * text names the alias, so that is quoted, and nothing else of the library's is kept.
 */
export function describeYamlAliasError(message: string): string {
  const alias = /^Unresolved alias \(the anchor must be set before the alias\): (.*)$/s.exec(message)?.[1];
  if (alias !== undefined) return `the alias ${quote(`*${alias}`)} names no anchor set before it; remove the aliases (\`*name\`) and write the values out`;
  if (/^Excessive alias count/.test(message)) return "the aliases expand to too many values (a resource exhaustion attack?); remove the aliases (`*name`) and write the values out";
  return "the aliases cannot be expanded; remove the aliases (`*name`) and write the values out";
}

function describeDirective(text: string, where: string): string {
  const unknown = /^Unknown directive (.*)$/s.exec(text)?.[1];
  if (unknown !== undefined) return `the directive ${quote(unknown)}${where} is unknown; a bundle needs no directives, so remove the line`;
  const version = /^Unsupported YAML version (.*)$/s.exec(text)?.[1];
  if (version !== undefined) return `the YAML version ${quote(version)}${where} is not supported; write \`%YAML 1.2\`, or remove the line`;
  const parts = /^(%TAG|%YAML) directive should contain exactly (one|two) parts?$/.exec(text);
  if (parts !== null) return `the \`${parts[1]}\` directive${where} should have exactly ${parts[2]} part${parts[2] === "one" ? "" : "s"}; a bundle needs no directives, so remove the line`;
  return `a directive${where} is malformed; a bundle needs no directives, so remove the line`;
}

const TAG_PATTERNS = [
  /^Unresolved tag: (.*)$/s,
  /^Not a valid tag: (.*)$/s,
  /^Could not resolve tag: (.*)$/s,
  /^The (.*) tag has no suffix$/s,
  /^Verbatim tags aren't resolved, so (.*) is invalid\.$/s,
];

function describeTag(text: string, where: string): string {
  const tag = TAG_PATTERNS.map((pattern) => pattern.exec(text)?.[1]).find((found) => found !== undefined);
  const named = tag === undefined ? "a tag" : `the tag ${quote(tag.replace(/^tag:yaml\.org,2002:/, "!!"))}`;
  return `${named}${where} is not allowed; evidence is plain JSON data, so remove the tag`;
}

function describeUnexpected(text: string, where: string): string {
  const header = /^Block scalar header includes extra characters: (.*)$/s.exec(text)?.[1];
  if (header !== undefined) return `the block scalar header ${quote(header)}${where} holds extra characters; write \`|\` or \`>\`, then at most an indentation digit and \`-\` or \`+\``;
  // The parser's error tokens: the library's words, then the source as a JSON string.
  const token = /^(.*?): ("(?:[^"\\]|\\.)*")$/s.exec(text);
  if (token !== null) {
    const source = parseJsonString(token[2]!);
    const what = /^Not a YAML token\b/.test(token[1]!) ? "unexpected text" : lowerFirst(plain(token[1]!));
    return `${what}${source === null ? "" : ` ${quote(source)}`}${where}; ${FIX_SYNTAX}`;
  }
  if (/^Not a YAML token\b/.test(text)) return `unexpected text${where}; ${FIX_SYNTAX}`;
  return `${lowerFirst(plain(text))}${where}; ${FIX_SYNTAX}`;
}

/** The library's message without the ` at line L, column C` that compose-yaml adds (the location is said our way). */
function libraryText(message: string): string {
  return message.replace(/ at line \d+, column \d+$/, "");
}

function location(problem: YamlProblem): string {
  const at = problem.linePos?.[0];
  return at ? ` (line ${at.line}, column ${at.col})` : "";
}

/**
 * The library's words for a code whose messages hold no source text, kept plain all the same: one
 * line, no backtick to open a code span, no control, bidirectional or invisible character, short.
 */
function plain(text: string): string {
  const line = (text.split("\n")[0] ?? "").replace(/:\s*$/, "").replace(UNSAFE_CHARACTERS, " ").replace(/`/g, "'");
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

function parseJsonString(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}
