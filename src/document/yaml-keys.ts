import type { Document, Node as YamlNode } from "yaml";
import { formatPath, quote, type Diagnostic } from "../diagnostics/diagnostic.js";

type Yaml = typeof import("yaml");

/** One step from a parent collection to a child: a key in a mapping or an index in a list. */
interface PathLink {
  parent: PathLink | null;
  segment: string | number;
}

/**
 * yaml's `uniqueKeys` compares keys as YAML values, but evidence is read as a plain object, whose
 * keys are property names: `1` and `"1"`, `null` and `""`, an alias and the text it names all
 * become one property, and the last value silently wins. So every key must be written out as a
 * scalar, and no two keys in one mapping may become the same property. Iterative: block nesting
 * is not bounded before this walk runs.
 */
export function findYamlKeyProblem(yaml: Yaml, document: Document.Parsed, text: string, root: string): Diagnostic | null {
  const pending: Array<{ node: YamlNode; at: PathLink | null }> = [];
  if (document.contents !== null) pending.push({ node: document.contents, at: null });
  while (pending.length > 0) {
    const { node, at } = pending.pop()!;
    if (yaml.isSeq(node)) {
      node.items.forEach((item, index) => {
        if (yaml.isNode(item)) pending.push({ node: item, at: { parent: at, segment: index } });
      });
    } else if (yaml.isMap(node)) {
      const names = new Map<string, string>();
      for (const { key, value } of node.items) {
        const written = key === null ? "" : sourceOf(key as YamlNode, text);
        if (yaml.isAlias(key)) return problem(root, at, `the key ${quote(written)} is an alias; an alias used as a key hides which key it stands for, so write the key out`);
        if (key !== null && !yaml.isScalar(key)) return problem(root, at, `the key ${quote(written)} is a ${yaml.isSeq(key) ? "list" : "mapping"}; a key must be plain text, so write it as a quoted string`);
        const name = propertyName(key === null ? null : key.value);
        if (name === null) return problem(root, at, `the key ${quote(written)} is not plain text, a number, a boolean or null; write it as a quoted string`);
        const earlier = names.get(name);
        if (earlier !== undefined) {
          const becomes = name === "" ? "the empty key" : `the key ${quote(name)}`;
          return problem(root, { parent: at, segment: name }, `${describeKey(earlier)} and ${describeKey(written)} in one mapping both become ${becomes}; parsers disagree on which value wins, so remove one`);
        }
        names.set(name, written);
        if (yaml.isNode(value)) pending.push({ node: value, at: { parent: at, segment: name } });
      }
    }
  }
  return null;
}

/** The property name yaml's toJS gives a scalar key (its addPairToJSMap): null is "", others String(). */
function propertyName(value: unknown): string | null {
  if (value === null) return "";
  if (typeof value === "object" || typeof value === "function" || typeof value === "symbol") return null;
  return String(value);
}

/** The key as written, with its explicit tag: `!!str 1` and `1` must not read alike in a message. */
function sourceOf(node: YamlNode, text: string): string {
  const written = node.range ? text.slice(node.range[0], node.range[1]) : String(node);
  const tag = node.tag?.replace(/^tag:yaml\.org,2002:/, "!!");
  return tag === undefined ? written : `${tag} ${written}`.trim();
}

function describeKey(written: string): string {
  return written === "" ? "an omitted key" : `the key ${quote(written)}`;
}

function problem(root: string, at: PathLink | null, message: string): Diagnostic {
  const segments: Array<string | number> = [];
  for (let link = at; link !== null; link = link.parent) segments.push(link.segment);
  return { path: formatPath(root, segments.reverse()), message };
}
