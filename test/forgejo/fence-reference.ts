// The fence scanner's tests hold it to CommonMark's reference parser (commonmark.js), which
// Forgejo's goldmark follows for the block structure.
import { Parser } from "commonmark";
import { expect } from "vitest";
import { fenceBlocks, type FenceBlock } from "../../src/markdown/fence-blocks.js";

const parser = new Parser();

/** The fenced code blocks the reference parser finds, with the info string's first word lowercased as bundle detection reads it. */
export function referenceFences(text: string): FenceBlock[] {
  const fences: FenceBlock[] = [];
  const walker = parser.parse(text).walker();
  for (let step = walker.next(); step !== null; step = walker.next()) {
    const node = step.node;
    // commonmark.js keeps whether a code block was fenced (not indented) only in this field.
    if (step.entering && node.type === "code_block" && (node as unknown as { _isFenced: boolean })._isFenced) {
      fences.push({ info: (/^[\w-]*/.exec(node.info ?? "")?.[0] ?? "").toLowerCase(), text: node.literal ?? "" });
    }
  }
  return fences;
}

/** Every fence the scanner yields, and where it lost track of the structure (null: never). */
export function scan(lines: string[]): { fences: FenceBlock[]; lostAtLine: number | null } {
  const fences: FenceBlock[] = [];
  const scanner = fenceBlocks(lines);
  for (let next = scanner.next(); ; next = scanner.next()) {
    if (next.done === true) return { fences, lostAtLine: next.value.lostAtLine };
    fences.push(next.value);
  }
}

/** The fences found in these lines, after checking that the reference parser finds the same. */
export function agreedFences(...lines: string[]): FenceBlock[] {
  const ours = scan(lines);
  expect(ours.lostAtLine, lines.join("\n")).toBeNull();
  expect(ours.fences, lines.join("\n")).toEqual(referenceFences(lines.join("\n")));
  return ours.fences;
}
