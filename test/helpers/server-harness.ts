import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveServerConfig, type ServerConfig } from "../../src/config/server-config.js";
import { signWebhookPayload } from "../../src/forgejo/webhook-signature.js";
import { silentLogger } from "../../src/observability/logger.js";
import { startServer, type RunningServer, type ServerOptions } from "../../src/server/start-server.js";
import { FORGEJO_ORIGIN } from "./fake-forgejo.js";
import { fixture } from "./paths.js";

export const SECRET = "test-secret-for-patchwarden-0001";
export const REPO = "root/example-push";

export function testConfig(dataDir: string, env: Record<string, string> = {}): ServerConfig {
  const result = resolveServerConfig(
    {
      PATCHWARDEN_FORGEJO_URL: FORGEJO_ORIGIN,
      PATCHWARDEN_WEBHOOK_SECRET: SECRET,
      PATCHWARDEN_DATA_DIR: dataDir,
      PATCHWARDEN_REPOS: REPO,
      PATCHWARDEN_OPERATORS: "root",
      PATCHWARDEN_PRODUCERS: "iskra-bot",
      PATCHWARDEN_GATE_LABEL: "gate/review",
      PATCHWARDEN_LISTEN: "127.0.0.1:0",
      ...env,
    },
    {},
    process.cwd(),
  );
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return result.config;
}

export interface TestServer extends RunningServer {
  dataDir: string;
  printed: string[];
  cleanup(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}, options: Partial<ServerOptions> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "pw-server-")));
  const printed: string[] = [];
  const running = await startServer(testConfig(dir, env), {
    log: silentLogger,
    now: () => Date.parse("2026-11-21T05:00:00Z"),
    version: "test",
    printLine: (line) => void printed.push(line),
    listen: false,
    forgejoTimeoutMs: 2000,
    ...options,
  });
  return {
    ...running,
    dataDir: dir,
    printed,
    async cleanup() {
      await running.close();
      if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Delivery {
  event: string;
  type?: string;
  id: string;
  body: string | Uint8Array;
  secret?: string;
  /** Override or drop headers (value null drops). */
  headers?: Record<string, string | null>;
  contentType?: string;
}

/** A delivery as Forgejo sends it: its headers and twins, signed over the exact bytes. */
export function deliveryRequest(d: Delivery): RequestInit & { headers: Record<string, string> } {
  const bytes = typeof d.body === "string" ? Buffer.from(d.body) : Buffer.from(d.body);
  const signature = signWebhookPayload(d.secret ?? SECRET, bytes);
  const headers: Record<string, string> = {
    "content-type": d.contentType ?? "application/json",
    "x-forgejo-event": d.event,
    "x-forgejo-event-type": d.type ?? d.event,
    "x-forgejo-delivery": d.id,
    "x-forgejo-signature": signature,
    "x-gitea-event": d.event,
    "x-gitea-delivery": d.id,
    "x-gitea-signature": signature,
    "x-hub-signature-256": `sha256=${signature}`,
  };
  for (const [name, value] of Object.entries(d.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return { method: "POST", headers, body: bytes };
}

/** A real or synthesized payload from fixtures/forgejo/payloads, as a value to edit. */
export async function payloadValue(file: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(fixture(`forgejo/payloads/${file}`), "utf8")) as Record<string, any>;
}

/** A real or synthesized payload from fixtures/forgejo/payloads, edited and re-serialised as Forgejo would. */
export async function payload(file: string, edit: (p: Record<string, any>) => void = () => {}): Promise<string> {
  const value = await payloadValue(file);
  edit(value);
  return JSON.stringify(value, null, 2);
}
