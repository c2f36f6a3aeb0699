import { describe, expect, it } from "vitest";
import { pickNewest } from "../../src/evidence/latest-evidence.js";

describe("pickNewest", () => {
  it("takes the latest modification time, and on a tie the name that sorts last", () => {
    expect(pickNewest([])).toBeNull();
    expect(pickNewest([{ path: "/e/a.json", modifiedAt: 2 }, { path: "/e/b.json", modifiedAt: 1 }])?.path).toBe("/e/a.json");
    expect(pickNewest([{ path: "/e/run-0500", modifiedAt: 5 }, { path: "/e/run-0400", modifiedAt: 5 }])?.path).toBe("/e/run-0500");
    expect(pickNewest([{ path: "/e/run-0400", modifiedAt: 5 }, { path: "/e/run-0500", modifiedAt: 5 }])?.path).toBe("/e/run-0500");
  });
});
