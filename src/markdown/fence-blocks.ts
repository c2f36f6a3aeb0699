export interface FenceBlock {
  /** The info string's first word, lowercased (`json`, `patchwarden-bundle`). */
  info: string;
  text: string;
}

/**
 * The fenced code blocks of a Markdown text, found as CommonMark (and so Forgejo, whose renderer
 * goldmark follows it) finds them: in block quotes and list items too, a fence indented up to three
 * spaces, its lines less that indentation, and not in an HTML block (a comment, `<pre>`, `<details>`
 * up to a blank line ...), where a fence is raw HTML that Forgejo does not show as one.
 *
 * One pass: each line is looked at once, against at most `MAX_NESTED_CONTAINERS` open lists and quotes and a leaf, so a hostile
 * description (thousands of unclosed openers) costs what its length does; a regex that looked ahead
 * for each opener's closing line took seconds on 150 KB and stalled webhook intake.
 */
export function* fenceBlocks(lines: Iterable<string>): Generator<FenceBlock, FenceScanEnd> {
  const scanner = new BlockScanner();
  let number = 0;
  for (const line of lines) {
    number++;
    scanner.read(line);
    if (scanner.closed.length > 0) yield* scanner.closed.splice(0);
    if (scanner.lost) return { lostAtLine: number };
  }
  scanner.end();
  yield* scanner.closed;
  return { lostAtLine: null };
}

/** How a scan ended: at the end of the text, or at the line where it lost track of the structure. */
export interface FenceScanEnd {
  /** 1-based; null when every line was read. */
  lostAtLine: number | null;
}

/**
 * More lists and quotes nested in each other than this, or a setext underline after what may be link
 * reference definitions (which only a link parser tells apart), and the scan stops: it reports what
 * it found before and nothing after, as a bundle it cannot place must not be judged; the caller
 * says where it stopped.
 */
export const MAX_NESTED_CONTAINERS = 16;

type Block =
  // `heading`: also a thematic break; one line long.
  | { kind: "document" | "quote" | "heading" | "code" }
  | { kind: "item"; contentIndent: number; empty: boolean }
  | { kind: "paragraph"; mayHoldReferences: boolean }
  | { kind: "fence"; char: string; length: number; indent: number; info: string; lines: string[] }
  // `end` null: the block ends at a blank line (HTML block types 6 and 7).
  | { kind: "html"; end: RegExp | null };

const MAY_START_BLOCK = /^[#`~*+_=<>0-9-]/;
const ATX_HEADING = /^#{1,6}(?:[ \t]+|$)/;
const FENCE_OPENER = /^(?:`{3,}|~{3,})/;
const FENCE_CLOSER = /^(?:`{3,}|~{3,})(?=[ \t]*$)/;
const SETEXT_UNDERLINE = /^(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^(?:\*[ \t]*){3,}$|^(?:_[ \t]*){3,}$|^(?:-[ \t]*){3,}$/;
const BULLET = /^[*+-]/;
/** A link reference definition's label, closed by `]:` or going on to the next line. */
const REFERENCE_START = /^\[(?:[^\\[\]]|\\.)*(?:\]:|\\?$)/;
const ORDERED = /^(\d{1,9})[.)]/;

const BLOCK_TAGS =
  "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|" +
  "fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|" +
  "menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|" +
  "track|ul";
const TAG_NAME = "(?!(?:pre|script|style|textarea)(?![A-Za-z0-9-]))[A-Za-z][A-Za-z0-9-]*";
const ATTRIBUTE = `[ \\t]+[A-Za-z_:][\\w.:-]*(?:[ \\t]*=[ \\t]*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?`;

/**
 * CommonMark's HTML blocks, by type: how one starts (at the line's first non-blank) and the marker
 * that ends it. Types 1 to 5 run to a line holding their end marker, blank lines and all; 6 (a
 * block-level tag) and 7 (any other complete tag alone on its line, which cannot interrupt a
 * paragraph) to a blank line. Type 1 also takes `<pre/>`, as goldmark does.
 */
const HTML_BLOCKS: ReadonlyArray<{ start: RegExp; end: RegExp | null; interruptsParagraph: boolean }> = [
  { start: /^<(?:pre|script|style|textarea)(?:[ \t]|\/?>|$)/i, end: /<\/(?:pre|script|style|textarea)>/i, interruptsParagraph: true },
  { start: /^<!--/, end: /-->/, interruptsParagraph: true },
  { start: /^<\?/, end: /\?>/, interruptsParagraph: true },
  { start: /^<![A-Za-z]/, end: />/, interruptsParagraph: true },
  { start: /^<!\[CDATA\[/, end: /\]\]>/, interruptsParagraph: true },
  { start: new RegExp(`^</?(?:${BLOCK_TAGS})(?:[ \\t]|/?>|$)`, "i"), end: null, interruptsParagraph: true },
  { start: new RegExp(`^(?:<${TAG_NAME}(?:${ATTRIBUTE})*[ \\t]*/?>|</${TAG_NAME}[ \\t]*>)[ \\t]*$`, "i"), end: null, interruptsParagraph: false },
];

/**
 * CommonMark's block structure (its reference parser's algorithm), kept only as far as fences need:
 * which blocks are open, and the lines of the open fence.
 */
class BlockScanner {
  private readonly open: Block[] = [{ kind: "document" }];
  private readonly line = new LineCursor();
  private carriageReturn = "";
  private lastMatched = 0;
  private allClosed = true;
  /** The fences closed by the lines read so far, for the caller to take. */
  readonly closed: FenceBlock[] = [];
  /** The scan lost track of the structure and reports nothing more. */
  lost = false;

  read(raw: string): void {
    this.carriageReturn = raw.endsWith("\r") ? "\r" : "";
    const line = this.line;
    line.reset(this.carriageReturn ? raw.slice(0, -1) : raw);
    // Which open blocks this line continues: a quote on `>`, an item on its indentation, a leaf as it allows.
    let matched = 1;
    for (; matched < this.open.length; matched++) {
      line.findNextNonspace();
      const goesOn = this.continues(this.open[matched]!);
      if (goesOn === "closing fence") return this.closeFrom(matched);
      if (!goesOn) break;
    }
    this.lastMatched = matched - 1;
    this.allClosed = this.lastMatched === this.open.length - 1;

    // Which blocks start on it, nested as a quote or an item allows.
    let container = this.open[this.lastMatched]!;
    let inLeaf = container.kind === "fence" || container.kind === "html" || container.kind === "code";
    while (!inLeaf) {
      line.findNextNonspace();
      if (!line.indented && !MAY_START_BLOCK.test(line.rest)) {
        line.advanceNextNonspace();
        break;
      }
      const started = this.startBlock(container);
      if (this.lost || started === "whole line") return;
      if (started === "none") {
        line.advanceNextNonspace();
        break;
      }
      container = this.tip;
      inLeaf = started === "leaf";
    }

    // The rest of the line is text: a lazy line of an open paragraph, or its leaf's, or a new paragraph's.
    if (!this.allClosed && !line.blank && this.tip.kind === "paragraph") return;
    this.closeUnmatched();
    const tip = this.tip;
    if (tip.kind === "fence") tip.lines.push(line.remainder() + this.carriageReturn);
    else if (tip.kind === "html") {
      if (tip.end?.test(line.text.slice(line.offset))) this.closeFrom(this.open.length - 1);
    } else if (tip.kind !== "paragraph" && tip.kind !== "code" && !line.blank && line.offset < line.text.length) {
      line.advanceNextNonspace();
      this.add({ kind: "paragraph", mayHoldReferences: REFERENCE_START.test(line.text.slice(line.offset)) });
    }
  }

  /** The end of the text: a fence left open runs to it. */
  end(): void {
    const tip = this.tip;
    if (tip.kind === "fence") {
      this.closed.push({ info: tip.info, text: tip.lines.join("\n") });
      this.open.pop();
    }
    this.closeFrom(1);
  }

  private get tip(): Block {
    return this.open[this.open.length - 1]!;
  }

  private continues(block: Block): boolean | "closing fence" {
    const line = this.line;
    switch (block.kind) {
      case "document":
        return true;
      case "quote":
        if (line.indented || line.text[line.nextNonspace] !== ">") return false;
        line.advanceNextNonspace();
        line.advance(1, false);
        if (isSpaceOrTab(line.text[line.offset])) line.advance(1, true);
        return true;
      case "item":
        if (line.blank) {
          // An item may start with one blank line, not two.
          if (block.empty) return false;
          line.advanceNextNonspace();
        } else if (line.indent >= block.contentIndent) line.advance(block.contentIndent, true);
        else return false;
        return true;
      case "paragraph":
        return !line.blank;
      case "heading":
        return false;
      case "html":
        return !(line.blank && block.end === null);
      case "code":
        if (line.indented) line.advance(4, true);
        else if (line.blank) line.advanceNextNonspace();
        else return false;
        return true;
      case "fence": {
        const closer = line.indent <= 3 && line.text[line.nextNonspace] === block.char ? FENCE_CLOSER.exec(line.rest) : null;
        if (closer !== null && closer[0].length >= block.length) return "closing fence";
        for (let i = block.indent; i > 0 && isSpaceOrTab(line.text[line.offset]); i--) line.advance(1, true);
        return true;
      }
    }
  }

  /** Starts the block the line starts at its next non-blank, if any (as CommonMark tries them, in order). */
  private startBlock(container: Block): "none" | "container" | "leaf" | "whole line" {
    const line = this.line;
    const rest = line.rest;
    if (line.indented) {
      if (this.tip.kind === "paragraph" || line.blank) return "none";
      line.advance(4, true);
      this.add({ kind: "code" });
      return "leaf";
    }
    const first = rest[0];
    if (first === ">") {
      line.advanceNextNonspace();
      line.advance(1, false);
      if (isSpaceOrTab(line.text[line.offset])) line.advance(1, true);
      this.add({ kind: "quote" });
      return "container";
    }
    if (ATX_HEADING.test(rest)) {
      this.add({ kind: "heading" });
      return "whole line";
    }
    const fence = FENCE_OPENER.exec(rest);
    // A backtick fence's info string holds no backtick. (Tested apart: a lookahead after the run
    // backtracks through it, quadratic on a long line of backticks.)
    if (fence !== null && !(fence[0][0] === "`" && rest.includes("`", fence[0].length))) {
      const info = /^[ \t]*([\w-]*)/.exec(rest.slice(fence[0].length))![1]!.toLowerCase();
      this.add({ kind: "fence", char: fence[0][0]!, length: fence[0].length, indent: line.indent, info, lines: [] });
      return "whole line";
    }
    if (first === "<") {
      const mayBeLazy = !this.allClosed && !line.blank && this.tip.kind === "paragraph";
      for (const { start, end, interruptsParagraph } of HTML_BLOCKS) {
        if (!start.test(rest)) continue;
        if (!interruptsParagraph && (container.kind === "paragraph" || mayBeLazy)) break;
        this.add({ kind: "html", end });
        return "leaf";
      }
    }
    if (container.kind === "paragraph" && SETEXT_UNDERLINE.test(rest)) {
      // Were the paragraph only link reference definitions, this line would not underline it.
      if (container.mayHoldReferences) {
        this.lost = true;
        return "whole line";
      }
      this.closeUnmatched();
      this.open.pop();
      this.add({ kind: "heading" });
      return "whole line";
    }
    if (THEMATIC_BREAK.test(rest)) {
      this.add({ kind: "heading" });
      return "whole line";
    }
    const contentIndent = this.listItemStart(container);
    if (contentIndent !== null) {
      this.add({ kind: "item", contentIndent, empty: true });
      return "container";
    }
    return "none";
  }

  /** A list item's content indentation (from its marker's line start), having read past its marker; null when none starts. */
  private listItemStart(container: Block): number | null {
    const line = this.line;
    const rest = line.rest;
    const ordered = ORDERED.exec(rest);
    const marker = BULLET.exec(rest)?.[0] ?? (ordered !== null && (container.kind !== "paragraph" || Number(ordered[1]) === 1) ? ordered[0] : null);
    if (marker === null) return null;
    const after = rest[marker.length];
    if (after !== undefined && !isSpaceOrTab(after)) return null;
    // An item interrupting a paragraph starts with text.
    if (container.kind === "paragraph" && !/[^ \t\f\v]/.test(rest.slice(marker.length))) return null;
    const markerIndent = line.indent;
    line.advanceNextNonspace();
    line.advance(marker.length, true);
    const spacesColumn = line.column;
    const spacesOffset = line.offset;
    do line.advance(1, true);
    while (line.column - spacesColumn < 5 && isSpaceOrTab(line.text[line.offset]));
    const spaces = line.column - spacesColumn;
    if (spaces >= 5 || spaces < 1 || line.offset >= line.text.length) {
      // Text five columns on is indented code, and an item starting blank has one column of padding.
      line.column = spacesColumn;
      line.offset = spacesOffset;
      if (isSpaceOrTab(line.text[line.offset])) line.advance(1, true);
      return markerIndent + marker.length + 1;
    }
    return markerIndent + marker.length + spaces;
  }

  private add(block: Block): void {
    this.closeUnmatched();
    for (let tip = this.tip; !isContainer(tip); tip = this.tip) this.closeFrom(this.open.length - 1);
    const parent = this.tip;
    if (parent.kind === "item") parent.empty = false;
    this.open.push(block);
    // Every block below the new one is a container; the document is not a list or a quote.
    const nested = this.open.length - 1 - (isContainer(block) ? 0 : 1);
    if (nested > MAX_NESTED_CONTAINERS) this.lost = true;
  }

  /** Closes the blocks this line did not continue (once a new block starts on it, or it is not a lazy line). */
  private closeUnmatched(): void {
    if (this.allClosed) return;
    this.closeFrom(this.lastMatched + 1);
    this.allClosed = true;
  }

  private closeFrom(depth: number): void {
    while (this.open.length > depth) {
      const block = this.open.pop()!;
      if (block.kind === "fence") this.closed.push({ info: block.info, text: block.lines.map((l) => `${l}\n`).join("") });
    }
  }
}

function isContainer(block: Block): boolean {
  return block.kind === "document" || block.kind === "quote" || block.kind === "item";
}

function isSpaceOrTab(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/** A line being read, with CommonMark's column arithmetic: a tab reaches the next multiple of four. */
class LineCursor {
  text = "";
  offset = 0;
  column = 0;
  /** The tab at `offset` is partly consumed (by an item's or a fence's indentation). */
  partialTab = false;
  nextNonspace = 0;
  nextNonspaceColumn = 0;
  /** Columns from `column` to `nextNonspace`. */
  indent = 0;
  blank = false;

  reset(text: string): void {
    this.text = text;
    this.offset = this.column = this.nextNonspace = this.nextNonspaceColumn = this.indent = 0;
    this.partialTab = this.blank = false;
  }

  get indented(): boolean {
    return this.indent >= 4;
  }

  /** The line from its next non-blank character. */
  get rest(): string {
    return this.text.slice(this.nextNonspace);
  }

  findNextNonspace(): void {
    let i = this.offset;
    let column = this.column;
    for (;;) {
      const c = this.text[i];
      if (c === " ") column++;
      else if (c === "\t") column += 4 - (column % 4);
      else break;
      i++;
    }
    this.blank = i >= this.text.length;
    this.nextNonspace = i;
    this.nextNonspaceColumn = column;
    this.indent = column - this.column;
  }

  advanceNextNonspace(): void {
    this.offset = this.nextNonspace;
    this.column = this.nextNonspaceColumn;
    this.partialTab = false;
  }

  /** Moves on `count` characters, or columns (a tab then may be consumed in part). */
  advance(count: number, columns: boolean): void {
    while (count > 0 && this.offset < this.text.length) {
      if (this.text[this.offset] === "\t") {
        const toTabStop = 4 - (this.column % 4);
        if (columns) {
          this.partialTab = toTabStop > count;
          const step = Math.min(toTabStop, count);
          this.column += step;
          if (!this.partialTab) this.offset++;
          count -= step;
        } else {
          this.partialTab = false;
          this.column += toTabStop;
          this.offset++;
          count--;
        }
      } else {
        this.partialTab = false;
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  /** What is left of the line: a partly consumed tab leaves its remaining columns as spaces. */
  remainder(): string {
    if (!this.partialTab) return this.text.slice(this.offset);
    return " ".repeat(4 - (this.column % 4)) + this.text.slice(this.offset + 1);
  }
}
