import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

// `serve` with a stop signal that has already come: it starts, logs what it runs with, and stops.

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), "pw-serve-lines-"));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

interface LogLine {
  event: string;
  [key: string]: unknown;
}

const events = (stderr: string): LogLine[] =>
  stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);

describe("serve's start-up lines", () => {
  it("warns about an empty operator list and an empty repository list, each by its own event", async () => {
    const data = join(temp, "data");
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(0);
    const names = events(run.stderr).map((line) => line.event);
    expect(names).toContain("config.no_repositories");
    expect(names).toContain("config.no_operators");
    expect(events(run.stderr).find((line) => line.event === "config.no_operators")).toMatchObject({ message: expect.stringContaining("PATCHWARDEN_OPERATORS is empty") });
    expect(names.indexOf("server.started")).toBeLessThan(names.indexOf("server.stopping"));
  });

  it("names the repositories, operators and producers it serves, and gives no warning about them", async () => {
    const data = join(temp, "data");
    const run = await runCli(["serve"], {
      env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0", PATCHWARDEN_REPOS: "iskra/ops", PATCHWARDEN_OPERATORS: "piotr", PATCHWARDEN_PRODUCERS: "iskra-bot" },
    });
    expect(run.code).toBe(0);
    const lines = events(run.stderr);
    expect(lines.find((line) => line.event === "server.started")).toMatchObject({ data_dir: data, repos: ["iskra/ops"], operators: ["piotr"], producers: ["iskra-bot"], output: ["queue"] });
    expect(lines.map((line) => line.event)).not.toContain("config.no_repositories");
    expect(lines.map((line) => line.event)).not.toContain("config.no_operators");
  });

  it("warns only about the list that is empty", async () => {
    const data = join(temp, "data");
    const noRepos = events((await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0", PATCHWARDEN_OPERATORS: "piotr" } })).stderr).map((line) => line.event);
    expect(noRepos).toContain("config.no_repositories");
    expect(noRepos).not.toContain("config.no_operators");
    const noOperators = events((await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0", PATCHWARDEN_REPOS: "iskra/ops" } })).stderr).map((line) => line.event);
    expect(noOperators).toContain("config.no_operators");
    expect(noOperators).not.toContain("config.no_repositories");
  });

  it("says where a generated webhook secret is kept, without printing it, and only on the first start", async () => {
    const data = join(temp, "data");
    const first = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`Generated a webhook secret in ${data}/webhook-secret`);
    expect(first.stderr).not.toMatch(/[0-9a-f]{32}/);
    // The log lines before it are out first, so the note is not buried mid-line.
    expect(first.stderr.indexOf('"event":"server.started"')).toBeLessThan(first.stderr.indexOf("Generated a webhook secret"));
    const again = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain("Generated a webhook secret");
  });

  it("logs an error naming the webhook secret file it cannot use, and generates no other", async () => {
    const data = join(temp, "data");
    await mkdir(data, { mode: 0o700 });
    await writeFile(join(data, "webhook-secret"), "", { mode: 0o600 });
    const run = await runCli(["serve"], { env: { PATCHWARDEN_DATA_DIR: data, PATCHWARDEN_LISTEN: "127.0.0.1:0" } });
    expect(run.code).toBe(0);
    const problem = events(run.stderr).find((line) => line.event === "webhook.no_secret");
    expect(problem).toMatchObject({ message: expect.stringContaining("webhook-secret` is empty; delete it to have a new one generated") });
    expect(run.stderr).not.toContain("Generated a webhook secret");
  });
});
