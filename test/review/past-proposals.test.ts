import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { EXAMPLE_TIME, propose } from "./helpers.js";

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({}, { now: () => EXAMPLE_TIME });
});
afterEach(async () => server.cleanup());

describe("past proposals on the list", () => {
  it("shows the newest fifty and says how many more there are; ?all=1 shows every one", async () => {
    // Each proposal for the same target and bundle supersedes the one before: 51 past, 1 pending.
    const ids: string[] = [];
    for (let i = 0; i < 52; i++) ids.push((await propose(server, "examples/runtime-diagnostics.bundle.yaml", { now: EXAMPLE_TIME - (52 - i) * 1000 })).id);
    const { proposals } = await server.proposals.scan();
    expect(proposals.filter((p) => p.state === "pending").map((p) => p.id)).toEqual([ids[51]]);
    const shownIds = (page: string) => new Set([...page.matchAll(/href="\/review\/(p_[0-9a-f]{20})"/g)].map((m) => m[1]!));
    const list = await (await server.app.request("/review")).text();
    expect(list).toContain("Past proposals <span class=\"muted\">(51)</span>");
    expect(list).toContain('1 older proposal is not shown; <a href="/review?all=1">show all</a>');
    expect([...shownIds(list)].sort()).toEqual(ids.slice(1).sort());
    const all = await (await server.app.request("/review?all=1")).text();
    expect(all).not.toContain('<a href="/review?all=1">show all</a>');
    expect(shownIds(all)).toEqual(new Set(ids));
  });
});
