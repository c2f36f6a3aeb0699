import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixture } from "../helpers/paths.js";
import { runCli } from "../helpers/run-cli.js";

const temps: string[] = [];
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "pw-approve-token-"));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const CHECK = ["runtime-repair-check", "--bundle", fixture("openclaw-runs/green"), "--now", "2026-11-21T05:00:00Z"];

describe("patchwarden queue approve with a write token that is not a token", () => {
  it("a token read from a file with its line break is refused before anything is asked or recorded (exit 2)", async () => {
    const data = await scratch();
    const proposed = await runCli([...CHECK, "--propose", "owner/repo#1", "--actor", "alice", "--data-dir", data]);
    const id = /proposed (\S+)/.exec(proposed.stderr)![1]!;
    const env = {
      PATCHWARDEN_FORGEJO_WRITE_TOKEN: "0123456789abcdef0123456789abcdef01234567\n",
      // Nothing listens here: the command must stop before it would ask.
      PATCHWARDEN_FORGEJO_URL: "http://127.0.0.1:9",
    };
    const run = await runCli(["queue", "approve", id, "--actor", "alice", "--data-dir", data], { env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "patchwarden: PATCHWARDEN_FORGEJO_WRITE_TOKEN: character 41 (U+000A) is not printable ASCII, so it is not part of a Forgejo token; set the token alone, exactly as Forgejo showed it\n",
    );
    const shown = await runCli(["queue", "show", id, "--json", "--data-dir", data]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, state: "pending" });
  });
});
