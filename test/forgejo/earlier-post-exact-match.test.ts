import { describe, expect, it } from "vitest";
import { hasProposalStatus, postedComment } from "../../src/forgejo/reader.js";

const marker = "<!-- patchwarden:proposal p_0123456789abcdef -->";
const body = `${marker}\n### Patchwarden gate: \`needs_human\`\n\nreasons…\n`;
const comment = (id: number, text: string | null) => ({ id, body: text, user: { login: "someone" }, html_url: `https://forgejo.example/o/r/issues/1#issuecomment-${id}` });

// A look-up that finds an "earlier post" where there is none makes an approval record the proposal
// as posted and post nothing: the post is lost. Only what a forge may change is forgiven.
describe("an earlier comment is the proposal's post only with the same leading text", () => {
  it("a comment that starts with extra blank lines or indentation is another text", () => {
    expect(postedComment([comment(1, `\n\n${body}`), comment(2, `    ${body}`)], body)).toBeNull();
  });

  it("the proposal's own text is still found after such comments", () => {
    expect(postedComment([comment(1, `\n${body}`), comment(2, body)], body)?.id).toBe(2);
  });
});

describe("an earlier commit status is the proposal's only in the gate's own context", () => {
  const proposal = "p_0123456789abcdef0123";

  it("a status in another context whose description names the proposal is not it", () => {
    expect(hasProposalStatus([{ context: "ci/build", description: `rebuilt after ${proposal}` }], "patchwarden/gate", proposal)).toBe(false);
    expect(hasProposalStatus([{ context: null, description: `needs_human (proposal ${proposal})` }], "patchwarden/gate", proposal)).toBe(false);
  });

  it("a status in the gate's context naming another proposal, or with no description, is not it", () => {
    expect(hasProposalStatus([{ context: "patchwarden/gate", description: "needs_human (proposal p_ffffffffffffffffffff)" }, { context: "patchwarden/gate", description: null }], "patchwarden/gate", proposal)).toBe(false);
  });

  it("the gate's context naming the proposal is it", () => {
    expect(hasProposalStatus([{ context: "ci/build", description: "ok" }, { context: "patchwarden/gate", description: `needs_human (proposal ${proposal})` }], "patchwarden/gate", proposal)).toBe(true);
  });
});
