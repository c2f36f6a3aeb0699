import { formatPath, quote } from "../diagnostics/diagnostic.js";

export type ValueProblem = { kind: "too_deep"; path: string } | { kind: "not_plain"; path: string; message: string };

interface PathLink {
  parent: PathLink | null;
  segment: string | number;
}

interface Pending {
  node: object;
  depth: number;
  at: PathLink | null;
}

/**
 * Every later check (schemas, the approval-claim walk, the depth bound) assumes a document is
 * plain JSON data. A parsed value can be more: a Map, Set, Date or byte array (from YAML tags),
 * NaN or Infinity (`.nan`, `.inf`, `1e400`), or a cycle (an alias to its own ancestor).
 * Iterative and bounded by depth, so a cycle ends as too deep instead of looping.
 */
export function checkPlainValue(value: unknown, root: string, maxDepth: number): ValueProblem | null {
  const pending: Pending[] = [];
  const first = visit(value, null, null, -1, pending, root);
  if (first !== null) return first;
  while (pending.length > 0) {
    const { node, depth, at } = pending.pop()!;
    if (depth + 1 > maxDepth) return { kind: "too_deep", path: pathOf(root, at) };
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        const found = visit(node[index], at, index, depth, pending, root);
        if (found !== null) return found;
      }
    } else {
      for (const key of Object.keys(node)) {
        const found = visit((node as Record<string, unknown>)[key], at, key, depth, pending, root);
        if (found !== null) return found;
      }
    }
  }
  return null;
}

/** Leaves are judged here rather than queued, and get no path link: most of a document is leaves. */
function visit(child: unknown, parent: PathLink | null, segment: string | number | null, parentDepth: number, pending: Pending[], root: string): ValueProblem | null {
  const found = describeNonJson(child);
  if (found === null && (child === null || typeof child !== "object")) return null;
  const at = segment === null ? parent : { parent, segment };
  if (found !== null) return { kind: "not_plain", path: pathOf(root, at), message: found };
  pending.push({ node: child as object, depth: parentDepth + 1, at });
  return null;
}

/** Null when the value is JSON data; otherwise the message saying what it is and what to do. */
function describeNonJson(value: unknown): string | null {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `the number ${quote(String(value))} has no JSON form; quote it if it is text, or remove it`;
    case "object": {
      if (value === null || Array.isArray(value)) return null;
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === Object.prototype || prototype === null) return null;
      return `the value is a ${quote(Object.prototype.toString.call(value).slice(8, -1))}, not JSON data; write plain mappings, lists and scalars, without tags such as \`!!omap\`, \`!!set\`, \`!!binary\` or \`!!timestamp\``;
    }
    default:
      return `the value is ${quote(typeof value)}, not JSON data; write plain mappings, lists and scalars`;
  }
}

function pathOf(root: string, at: PathLink | null): string {
  const segments: Array<string | number> = [];
  for (let link = at; link !== null; link = link.parent) segments.push(link.segment);
  return formatPath(root, segments.reverse());
}
