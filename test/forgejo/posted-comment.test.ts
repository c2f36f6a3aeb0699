import { describe, expect, it } from "vitest";
import { postedComment } from "../../src/forgejo/reader.js";

const marker = "<!-- patchwarden:proposal p_0123456789abcdef -->";
const body = `${marker}\n### Patchwarden gate: \`needs_human\`\n\nreasons…\n`;
const comment = (id: number, text: string | null) => ({ id, body: text, user: { login: "someone" }, html_url: `https://forgejo.example/o/r/issues/1#issuecomment-${id}` });

describe("finding a proposal's earlier post among an issue's comments", () => {
  it("takes the comment holding the proposal's whole text", () => {
    expect(postedComment([comment(1, "hello"), comment(2, body)], body)).toEqual({ id: 2, url: "https://forgejo.example/o/r/issues/1#issuecomment-2" });
  });

  it("takes it with the line endings or trailing whitespace a forge may have changed", () => {
    expect(postedComment([comment(3, `${body.replace(/\n/g, "\r\n")}  `)], body)?.id).toBe(3);
  });

  it("does not take a comment that only carries the marker, or the text inside other words", () => {
    const spoofs = [comment(4, `${marker}\n### Patchwarden gate: \`eligible_repair_dry_run\``), comment(5, `quoting it:\n${body}`), comment(6, null)];
    expect(postedComment(spoofs, body)).toBeNull();
  });
});
