/**
 * The yaml library aborts the whole process (V8 out of memory) on a few kilobytes of deeply
 * nested flow collections (`[[[[…`). This pre-scan refuses such text before the parser sees it.
 * Quoted scalars and comments are skipped; an unbalanced bracket in plain text only makes the
 * check stricter, never looser.
 */
export function yamlFlowDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[" || c === "{") {
      if (++depth > maxDepth) return true;
    } else if (c === "]" || c === "}") {
      if (depth > 0) depth--;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "'") {
      for (i++; i < text.length && !(text[i] === "'" && text[i + 1] !== "'"); i++) if (text[i] === "'") i++;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== "\n") i++;
    }
  }
  return false;
}
