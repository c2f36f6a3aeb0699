import { describe, expect, it } from "vitest";
import { heapGrowthFlag } from "../../src/server/heap-tuning.js";

describe("heapGrowthFlag and node arguments that only mention the flag", () => {
  it("keeps serve's heap growth when the name appears inside another flag's value, not as a flag of its own", () => {
    expect(heapGrowthFlag(["--title=--heap-growing-percent=20"])).toBe("--heap-growing-percent=50");
    expect(heapGrowthFlag(["--require=./--heap_growing_percent"])).toBe("--heap-growing-percent=50");
  });
});
