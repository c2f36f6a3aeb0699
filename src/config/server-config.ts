import { resolve } from "node:path";
import * as z from "zod";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { quote } from "../diagnostics/diagnostic.js";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import { SHIPPED_POLICY_PATH } from "../policy/read-policy.js";

/** Every setting, by its environment variable. A config file may give the same keys in lowercase without the prefix. */
export const SETTINGS = {
  forgejo_url: "PATCHWARDEN_FORGEJO_URL",
  forgejo_token: "PATCHWARDEN_FORGEJO_TOKEN",
  webhook_secret: "PATCHWARDEN_WEBHOOK_SECRET",
  data_dir: "PATCHWARDEN_DATA_DIR",
  listen: "PATCHWARDEN_LISTEN",
  policy: "PATCHWARDEN_POLICY",
  repos: "PATCHWARDEN_REPOS",
  operators: "PATCHWARDEN_OPERATORS",
  producers: "PATCHWARDEN_PRODUCERS",
  gate_label: "PATCHWARDEN_GATE_LABEL",
  evidence_globs: "PATCHWARDEN_EVIDENCE_GLOBS",
  output: "PATCHWARDEN_OUTPUT",
  max_body_bytes: "PATCHWARDEN_MAX_BODY_BYTES",
} as const;

export type SettingName = keyof typeof SETTINGS;

const OUTPUTS = ["queue", "stdout"] as const;
export type OutputMode = (typeof OUTPUTS)[number];

const list = (text: string) => text.split(",").map((part) => part.trim()).filter((part) => part.length > 0);

const rawSettings = z.strictObject({
  forgejo_url: z
    .string()
    .refine(isHttpOrigin, { error: (issue) => `${quote(issue.input)} is not an http(s) URL of a Forgejo instance; write it like \`https://git.example.org\`` })
    .optional(),
  forgejo_token: z.string().min(1).optional(),
  webhook_secret: z.string().min(16, { error: "a webhook secret shorter than 16 characters is guessable; use a long random one (or unset it and let Patchwarden generate one)" }).optional(),
  data_dir: z.string().min(1).optional(),
  listen: z
    .string()
    .regex(/^(?:\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/, { error: (issue) => `${quote(issue.input)} is not \`host:port\`; write it like \`127.0.0.1:8787\`` })
    .refine((value) => Number(value.slice(value.lastIndexOf(":") + 1)) <= 65535, { error: "the port must be 0–65535" })
    .optional(),
  policy: z.string().min(1).optional(),
  repos: z
    .string()
    .refine((value) => list(value).every((repo) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)), {
      error: (issue) => `${quote(issue.input)} must be a comma-separated list of \`owner/name\``,
    })
    .optional(),
  operators: z.string().optional(),
  producers: z.string().optional(),
  gate_label: z.string().min(1).optional(),
  evidence_globs: z.string().refine((value) => list(value).length > 0, { error: "give at least one glob, e.g. `evidence/**/*.json`" }).optional(),
  output: z
    .string()
    .refine((value) => list(value).length > 0 && list(value).every((mode) => (OUTPUTS as readonly string[]).includes(mode)), {
      error: (issue) => `${quote(issue.input)} must be \`queue\`, \`stdout\` or \`queue,stdout\``,
    })
    .optional(),
  max_body_bytes: z
    .string()
    .regex(/^\d+$/, { error: (issue) => `${quote(issue.input)} is not a whole number of bytes` })
    .refine((value) => !/^\d+$/.test(value) || (Number(value) >= 1024 && Number(value) <= 64 * 1024 * 1024), { error: "must be between 1024 and 67108864 bytes" })
    .optional(),
});

export interface ServerConfig {
  /** The only origin Patchwarden ever fetches from (no SSRF). */
  forgejoUrl: URL;
  forgejoToken: string | undefined;
  /** Explicitly configured secret; when absent, the data folder's generated one is used. */
  webhookSecret: string | undefined;
  dataDir: string;
  listen: { host: string; port: number };
  policyPath: string;
  repos: ReadonlySet<string>;
  operators: ReadonlySet<string>;
  /** Logins whose pushes and pull requests carry evidence (e.g. Iskra's bot), besides the operators. */
  producers: ReadonlySet<string>;
  gateLabel: string;
  evidenceGlobs: readonly string[];
  output: ReadonlySet<OutputMode>;
  maxBodyBytes: number;
}

export const DEFAULTS = {
  forgejo_url: "http://127.0.0.1:3000",
  data_dir: "data",
  listen: "127.0.0.1:8787",
  gate_label: "patchwarden/gate-check",
  evidence_globs: "evidence/**/*.json,evidence/**/*.yaml",
  output: "queue",
  max_body_bytes: String(5 * 1024 * 1024),
} as const;

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Environment first, then the optional config file's values, then embedded defaults; every problem
 * is listed at once. Pure: the caller reads the environment and the file.
 */
export function resolveServerConfig(env: Readonly<Record<string, string | undefined>>, file: Readonly<Record<string, unknown>>, cwd: string): ConfigResult {
  const merged: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [name, variable] of Object.entries(SETTINGS) as Array<[SettingName, string]>) {
    const fromEnv = env[variable];
    const fromFile = file[name];
    if (fromEnv !== undefined && fromEnv !== "") merged[name] = fromEnv;
    else if (fromFile !== undefined) merged[name] = Array.isArray(fromFile) ? fromFile.join(",") : typeof fromFile === "number" ? String(fromFile) : fromFile;
  }
  for (const key of Object.keys(file)) {
    if (!(key in SETTINGS)) diagnostics.push({ path: `config.${key}`, message: `unknown setting ${quote(key)}; known: ${Object.keys(SETTINGS).join(", ")}` });
  }
  const validated = validateWith(rawSettings, merged, "config");
  if (!validated.ok) diagnostics.push(...validated.diagnostics.map((d) => ({ path: envPath(d.path), message: d.message })));
  if (diagnostics.length > 0 || !validated.ok) return { ok: false, diagnostics };
  const raw = validated.value;
  const listen = raw.listen ?? DEFAULTS.listen;
  const split = listen.lastIndexOf(":");
  return {
    ok: true,
    config: {
      forgejoUrl: new URL(raw.forgejo_url ?? DEFAULTS.forgejo_url),
      forgejoToken: raw.forgejo_token,
      webhookSecret: raw.webhook_secret,
      dataDir: resolve(cwd, raw.data_dir ?? DEFAULTS.data_dir),
      listen: { host: listen.slice(0, split).replace(/^\[|\]$/g, ""), port: Number(listen.slice(split + 1)) },
      policyPath: raw.policy !== undefined ? resolve(cwd, raw.policy) : SHIPPED_POLICY_PATH,
      repos: new Set(list(raw.repos ?? "")),
      operators: new Set(list(raw.operators ?? "")),
      producers: new Set(list(raw.producers ?? "")),
      gateLabel: raw.gate_label ?? DEFAULTS.gate_label,
      evidenceGlobs: list(raw.evidence_globs ?? DEFAULTS.evidence_globs),
      output: new Set(list(raw.output ?? DEFAULTS.output) as OutputMode[]),
      maxBodyBytes: Number(raw.max_body_bytes ?? DEFAULTS.max_body_bytes),
    },
  };
}

/** `config.forgejo_url` → `PATCHWARDEN_FORGEJO_URL`, so the message names what the operator set. */
function envPath(path: string): string {
  const key = path.replace(/^config\./, "") as SettingName;
  return SETTINGS[key] ?? path;
}

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "" && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}
