import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FORGEJO_ORIGIN, testReader } from "../helpers/fake-forgejo.js";

const BASE = "a".repeat(40);
const HEAD = "b".repeat(40);
let seen: string[] = [];
const msw = setupServer(
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/gone/compare/*`, () => HttpResponse.json({ message: "not found" }, { status: 404 })),
  http.get(`${FORGEJO_ORIGIN}/api/v1/repos/o/r/media/*`, () => HttpResponse.arrayBuffer(new TextEncoder().encode("bytes").buffer as ArrayBuffer)),
);
// The URL as sent, before any decoding: what Forgejo's router sees.
msw.events.on("request:start", ({ request }) => void seen.push(request.url.slice(FORGEJO_ORIGIN.length)));
beforeAll(() => msw.listen({ onUnhandledRequest: "error" }));
afterAll(() => msw.close());
beforeEach(() => void (seen = []));

const reader = () => testReader();

describe("a file read at a commit", () => {
  it("keeps the folders of its path as path segments, and encodes each name within its segment", async () => {
    expect(new TextDecoder().decode(await reader().file("o/r", "evidence/run 1/x#2.bundle.json", HEAD))).toBe("bytes");
    expect(seen).toEqual([`/api/v1/repos/o/r/media/evidence/run%201/x%232.bundle.json?ref=${HEAD}`]);
  });
});

describe("a refused compare names both commits by their first 12 digits", () => {
  it("404", async () => {
    await expect(reader().compareFiles("o/gone", BASE, HEAD)).rejects.toMatchObject({
      failure: "http",
      status: 404,
      message: `compare ${BASE.slice(0, 12)}...${HEAD.slice(0, 12)}: not found (404); check that it exists and that PATCHWARDEN_FORGEJO_TOKEN may read it`,
    });
  });
});
