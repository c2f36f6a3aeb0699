import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

let temp: string | undefined;
afterEach(async () => {
  if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  temp = undefined;
});

const at = "2026-11-21T05:00:00.000Z";

describe("serve on an inbox with a damaged line", () => {
  it("refuses to start with the inbox's own message, its full path first, and changes nothing", async () => {
    temp = await mkdtemp(join(tmpdir(), "pw-serve-damaged-"));
    const data = join(temp, "data");
    const inbox = join(data, "inbox", "deliveries.jsonl");
    await mkdir(join(data, "inbox"), { recursive: true });
    const good = JSON.stringify({ type: "ignored", delivery: "d-1", received_at: at, event: "release", event_type: "release", reason: "not a trigger" });
    // A line damaged on disk (or edited by hand), with whole lines after it: not a torn tail.
    const text = `${good}\n{"type":"accepted","deliv\n${good.replace("d-1", "d-2")}\n`;
    await writeFile(inbox, text);
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `patchwarden: ${inbox}: line 2 is not a delivery record; the log was edited or damaged: keep a copy of the file, then mend or delete that line and start again (every other line's delivery is kept; a delivery on that line is neither deduplicated nor evaluated, so ask for its check again)\n`,
    );
    expect(await readFile(inbox, "utf8")).toBe(text);
  });
});
