import { describe, expect, it } from "vitest";
import { lineBatcher } from "../../src/observability/line-batcher.js";

describe("lineBatcher", () => {
  it("writes the lines of one event-loop turn at once, in order", async () => {
    const writes: string[] = [];
    const lines = lineBatcher((text) => void writes.push(text));
    lines.write("a\n");
    lines.write("b\n");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    lines.write("c\n");
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("flush writes what is gathered at once, and nothing twice", async () => {
    const writes: string[] = [];
    const lines = lineBatcher((text) => void writes.push(text));
    lines.write("before a direct write\n");
    lines.flush();
    expect(writes).toEqual(["before a direct write\n"]);
    await new Promise((resolve) => setImmediate(resolve));
    lines.flush();
    expect(writes).toEqual(["before a direct write\n"]);
  });
});
