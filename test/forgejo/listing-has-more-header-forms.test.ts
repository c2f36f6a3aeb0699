import { describe, expect, it } from "vitest";
import { readPages, statusSchema, type GetPage } from "../../src/forgejo/reader.js";

/** A listing whose every page holds `perPage` items and says `hasMore` as written; counts the pages asked. */
function listing(hasMore: string, perPage: number) {
  const pages: number[] = [];
  const get: GetPage = async (url) => {
    pages.push(Number(url.searchParams.get("page")));
    const items = Array.from({ length: perPage }, (_, i) => ({ context: `ci/${i}`, description: "build" }));
    return { bytes: Buffer.from(JSON.stringify(items)), headers: new Headers({ "x-hasmore": hasMore }) };
  };
  return { get, pages };
}

async function readAll(get: GetPage): Promise<number> {
  let items = 0;
  for await (const batch of readPages(get, new URL("http://forgejo.test/api/v1/list"), statusSchema, "the list", "items", 5)) items += batch.length;
  return items;
}

// HTTP header values are matched without regard to case or surrounding blanks by every client and
// proxy; X-HasMore written `False` or ` false ` still ends the listing, `TRUE` still says more follow.
describe("X-HasMore in another case or with blanks", () => {
  it.each(["False", "FALSE", " false "])("%j ends the listing after the page that says it", async (value) => {
    const { get, pages } = listing(value, 3);
    expect(await readAll(get)).toBe(3);
    expect(pages).toEqual([1]);
  });

  it.each(["TRUE", " True "])("%j with an empty page is refused, not read as the end", async (value) => {
    const { get } = listing(value, 0);
    await expect(readAll(get)).rejects.toMatchObject({ failure: "invalid_response", message: "the list: Forgejo says more items follow page 1 but sent none on it" });
  });
});
