import { describe, expect, it } from "vitest";
import { findProposalStatus, readPages, statusSchema } from "../../src/forgejo/reader.js";

describe("reader: a listing that never ends is read a bounded number of pages", () => {
  it("status look-up stops after 20 pages with a too_large error", async () => {
    const pages: number[] = [];
    const get = async (url: URL) => {
      pages.push(Number(url.searchParams.get("page")));
      return { bytes: Buffer.from(JSON.stringify([{ context: "ci", description: "other" }])), headers: new Headers() };
    };
    await expect(findProposalStatus(get, new URL("http://forgejo.test/api/v1/repos/o/r/statuses/abc"), "statuses", "patchwarden", "pw-1")).rejects.toMatchObject({ failure: "too_large", message: expect.stringMatching(/still more after 20 pages/) });
    expect(pages).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("readPages asks for no page past maxPages", async () => {
    let asked = 0;
    const get = async () => {
      asked++;
      return { bytes: Buffer.from(JSON.stringify([{ context: "x" }])), headers: new Headers({ "x-hasmore": "true" }) };
    };
    const read = async () => {
      for await (const _batch of readPages(get, new URL("http://forgejo.test/list"), statusSchema, "list", "items", 3)) void _batch;
    };
    await expect(read()).rejects.toMatchObject({ failure: "too_large" });
    expect(asked).toBe(3);
  });
});
