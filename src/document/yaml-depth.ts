import type { CST } from "yaml";

/**
 * A quick refusal of deeply nested flow collections (`[[[[…`) before the yaml parser spends memory
 * on them (about 870 bytes per open bracket: 8 MiB of them exhaust the heap). Quoted scalars and
 * comments are skipped. It is not the bound itself: a quote inside plain text (`don't`) hides the
 * brackets after it, and block nesting has no brackets; yamlTokensNestDeeper is the exact check.
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

/**
 * Whether the parsed structure (the yaml parser's tokens, before the composer recurses into them)
 * nests collections, block or flow, deeper than `maxDepth`. Exact whatever the text looks like, and
 * iterative. A block scalar is one token, so its indented text is never counted.
 */
export function yamlTokensNestDeeper(tokens: readonly CST.Token[], maxDepth: number): boolean {
  const pending: CST.Token[] = [...tokens];
  const depths: number[] = pending.map(() => 0);
  const queue = (token: CST.Token | null | undefined, depth: number) => {
    if (token) {
      pending.push(token);
      depths.push(depth);
    }
  };
  while (pending.length > 0) {
    const token = pending.pop()!;
    const depth = depths.pop()!;
    switch (token.type) {
      case "document":
        queue(token.value, depth);
        break;
      case "block-map":
      case "block-seq":
      case "flow-collection":
        if (depth + 1 > maxDepth) return true;
        for (const item of token.items) {
          queue(item.key, depth + 1);
          queue(item.value, depth + 1);
        }
        break;
      case "block-scalar":
        // On malformed input the parser may leave a collection among a block scalar's properties.
        for (const property of token.props) queue(property, depth);
        break;
    }
  }
  return false;
}
