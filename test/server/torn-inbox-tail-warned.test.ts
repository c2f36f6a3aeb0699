import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server-harness.js";
import { recordingLog } from "../helpers/recording-log.js";

let dir: string;
let server: TestServer | null = null;
afterEach(async () => {
  await server?.cleanup();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

describe("serve: an inbox whose last line was torn by a crash", () => {
  it("starts, and warns the operator how many bytes were set aside", async () => {
    dir = await mkdtemp(join(tmpdir(), "pw-torn-"));
    const torn = '{"type":"accepted","delivery":"t-2","rece';
    await mkdir(join(dir, "inbox"), { recursive: true });
    await writeFile(join(dir, "inbox", "deliveries.jsonl"), torn);
    const { log, lines } = recordingLog();
    server = await startTestServer({}, { log }, dir);
    expect(lines.filter((l) => l.event === "inbox.torn_tail_set_aside")).toEqual([{ level: "warn", event: "inbox.torn_tail_set_aside", fields: { bytes: Buffer.byteLength(torn) } }]);
  });
});
