import { resolve } from "node:path";
import * as z from "zod";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { quote } from "../diagnostics/diagnostic.js";
import { validateWith } from "../diagnostics/zod-diagnostics.js";
import type { TriggerRules } from "../forgejo/classify-delivery.js";
import { SHIPPED_POLICY_PATH } from "../policy/read-policy.js";
import { actorSchema } from "../receipts/receipt-schema.js";
import { tokenProblem } from "./header-value.js";
import { unknownVariables } from "./known-variables.js";
import { mergeSettings, type Source } from "./setting-sources.js";
import type { SettingName } from "./settings.js";
import { repositoryGlobProblem } from "./repository-glob.js";
import { webhookSecretProblem } from "./webhook-secret-value.js";

const OUTPUTS = ["queue", "stdout"] as const;
const LISTEN_FORM = /^(?:\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d{1,5})$/;
export type OutputMode = (typeof OUTPUTS)[number];

const list = (text: string) => text.split(",").map((part) => part.trim()).filter((part) => part.length > 0);

const isLogin = (entry: string) => actorSchema.safeParse(entry).success;
const LOGINS = { one: "is not a Forgejo login (letters, digits, `_`, `.`, `-`)", many: "are not Forgejo logins (letters, digits, `_`, `.`, `-`)", example: "alice,iskra-bot" };

/**
 * A comma-separated list whose every entry must pass `isEntry`: the bad ones are named (`alice bob`
 * would otherwise be one login that never matches), and a value that lists nothing (`,`) is refused
 * rather than read as an empty list.
 */
function listOf(isEntry: (entry: string) => boolean, words: { one: string; many: string; example: string }) {
  return z.string().superRefine((value, ctx) => {
    const entries = list(value);
    if (entries.length === 0) {
      if (value !== "") ctx.addIssue({ code: "custom", message: `${quote(value)} lists nothing; separate entries with commas, e.g. \`${words.example}\`, or unset it` });
      return;
    }
    const bad = entries.filter((entry) => !isEntry(entry));
    if (bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `${bad.map((entry) => quote(entry)).join(", ")} ${bad.length === 1 ? words.one : words.many}; separate entries with commas, e.g. \`${words.example}\`` });
    }
  });
}

/** `none` (any case, padded): a glob setting turned off. */
const isNone = (value: string): boolean => value.trim().toLowerCase() === "none";

/** Comma-separated repository globs, each one that can select files; `none` too, where it turns the setting off. */
function globList(whenEmpty: string, noneAllowed = false) {
  return z.string().superRefine((value, ctx) => {
    if (noneAllowed && isNone(value)) return;
    // Read as a glob it would select only files named `none`: evidence would go unjudged without a word.
    if (isNone(value)) return void ctx.addIssue({ code: "custom", message: `${quote(value)} cannot turn this setting off (only the policy globs take \`none\`); ${whenEmpty}` });
    const globs = list(value);
    if (globs.length === 0) ctx.addIssue({ code: "custom", message: whenEmpty });
    for (const glob of globs) {
      const problem = repositoryGlobProblem(glob);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    }
  });
}

const rawSettings = z.strictObject({
  forgejo_url: z
    .string()
    .superRefine((value, ctx) => {
      const secret = secretInUrl(value);
      if (secret !== null) ctx.addIssue({ code: "custom", message: `${secret} (not shown); write the address alone, like \`https://git.example.org\`, and put the token in PATCHWARDEN_FORGEJO_TOKEN` });
      else if (!isHttpOrigin(value)) ctx.addIssue({ code: "custom", message: `${quote(value)} is not an http(s) URL of a Forgejo instance; write it like \`https://git.example.org\`` });
    })
    .optional(),
  forgejo_token: z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      // Never echoed: it is a secret.
      const problem = tokenProblem(value);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  webhook_secret: z
    .string()
    .min(16, { error: "a webhook secret shorter than 16 characters is guessable; use a long random one (or unset it and let Patchwarden generate one)" })
    .superRefine((value, ctx) => {
      // Never echoed: it is a secret.
      const problem = webhookSecretProblem(value);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  data_dir: z.string().min(1).optional(),
  listen: z
    .string()
    .regex(LISTEN_FORM, { error: (issue) => `${quote(issue.input)} is not \`host:port\`; write it like \`127.0.0.1:8787\`` })
    // Only a value already in host:port form has a port to judge; otherwise the regex said it all.
    .refine((value) => !LISTEN_FORM.test(value) || Number(value.slice(value.lastIndexOf(":") + 1)) <= 65535, { error: (issue) => `${quote(issue.input)}: the port must be 0–65535; write it like \`127.0.0.1:8787\`` })
    .optional(),
  policy: z.string().min(1).optional(),
  repos: listOf((repo) => /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo), { one: "is not `owner/name`", many: "are not `owner/name`", example: "owner/name,owner/other" }).optional(),
  operators: listOf(isLogin, LOGINS).optional(),
  producers: listOf(isLogin, LOGINS).optional(),
  gate_label: z.string().min(1).optional(),
  evidence_globs: globList("give at least one glob, e.g. `evidence/**/*.json`").optional(),
  policy_globs: globList("give at least one glob, e.g. `policies/**/*.toml`, or `none` for no policy what-ifs", true).optional(),
  output: z
    .string()
    .refine((value) => list(value).length > 0 && list(value).every((mode) => (OUTPUTS as readonly string[]).includes(mode)), {
      error: (issue) => `${quote(issue.input)} must be \`queue\`, \`stdout\` or \`queue,stdout\``,
    })
    .optional(),
  max_body_bytes: z
    .string()
    .regex(/^\d+$/, { error: (issue) => `${quote(issue.input)} is not a whole number of bytes` })
    .refine((value) => !/^\d+$/.test(value) || (Number(value) >= 1024 && Number(value) <= 64 * 1024 * 1024), { error: (issue) => `${quote(issue.input)} must be between 1024 and 67108864 bytes (64 MiB)` })
    .optional(),
  receipt_key: z.string().min(1).optional(),
  // Messages never echo the value: it holds the operators' tokens.
  review_tokens: z
    .string()
    .superRefine((value, ctx) => {
      for (const message of reviewTokenProblems(value)) ctx.addIssue({ code: "custom", message });
    })
    .optional(),
  review_origin: z
    .string()
    .superRefine((value, ctx) => {
      const secret = secretInUrl(value);
      if (secret !== null) ctx.addIssue({ code: "custom", message: `${secret} (not shown); write the address alone, the one the review page is reached at, like \`https://patchwarden.example.org\`` });
      else if (!isHttpOrigin(value) || new URL(value).pathname !== "/") ctx.addIssue({ code: "custom", message: `${quote(value)} is not an origin; write the address the review page is reached at, like \`https://patchwarden.example.org\`` });
    })
    .optional(),
});

/** The settings that decide which deliveries become jobs are the classifier's own `TriggerRules`. */
export interface ServerConfig extends TriggerRules {
  /** The only origin Patchwarden ever fetches from (no SSRF). */
  forgejoUrl: URL;
  forgejoToken: string | undefined;
  /** Explicitly configured secret; when absent, the data folder's generated one is used. */
  webhookSecret: string | undefined;
  dataDir: string;
  listen: { host: string; port: number };
  policyPath: string;
  output: ReadonlySet<OutputMode>;
  maxBodyBytes: number;
  /** An ed25519 private key (`patchwarden receipts keygen`): receipts are signed when it is set. */
  receiptKey: string | undefined;
  /** Review-page operators, Forgejo login → token (PATCHWARDEN_REVIEW_TOKENS); empty: the page is read-only. */
  reviewTokens: ReadonlyMap<string, string>;
  /** The origin the review page is reached at through a proxy (PATCHWARDEN_REVIEW_ORIGIN); https makes its cookies Secure. */
  reviewOrigin: URL | undefined;
}

export const DEFAULTS = {
  forgejo_url: "http://127.0.0.1:3000",
  data_dir: "data",
  listen: "127.0.0.1:8787",
  gate_label: "patchwarden/gate-check",
  evidence_globs: "evidence/**/*.json,evidence/**/*.yaml",
  policy_globs: "policies/**/*.toml",
  output: "queue",
  max_body_bytes: String(5 * 1024 * 1024),
} as const;

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Environment first, then the optional config file's values, then embedded defaults; every problem
 * is listed at once, each named where the operator wrote it (the variable, or the key in the file).
 * Relative paths start from `cwd` for variables and from the file's folder for the file's values.
 * Pure: the caller reads the environment and the file (`filePath` null: no file, or one of a test).
 */
export function resolveServerConfig(env: Readonly<Record<string, string | undefined>>, file: Readonly<Record<string, unknown>>, cwd: string, filePath: string | null = null): ConfigResult {
  const merged = mergeSettings(env, file, filePath, cwd);
  const diagnostics: Diagnostic[] = [...unknownVariables(env), ...merged.diagnostics];
  const validated = validateWith(rawSettings, merged.values, "config");
  if (!validated.ok) diagnostics.push(...validated.diagnostics.map((d) => ({ path: sourcePath(d.path, merged.sources), message: d.message })));
  if (diagnostics.length > 0 || !validated.ok) return { ok: false, diagnostics };
  const raw = validated.value;
  const baseOf = (name: SettingName) => merged.sources[name]?.base ?? cwd;
  const listen = raw.listen ?? DEFAULTS.listen;
  const split = listen.lastIndexOf(":");
  return {
    ok: true,
    config: {
      forgejoUrl: new URL(raw.forgejo_url ?? DEFAULTS.forgejo_url),
      forgejoToken: raw.forgejo_token,
      webhookSecret: raw.webhook_secret,
      dataDir: resolve(baseOf("data_dir"), raw.data_dir ?? DEFAULTS.data_dir),
      listen: { host: listen.slice(0, split).replace(/^\[|\]$/g, ""), port: Number(listen.slice(split + 1)) },
      policyPath: raw.policy !== undefined ? resolve(baseOf("policy"), raw.policy) : SHIPPED_POLICY_PATH,
      repos: new Set(list(raw.repos ?? "")),
      operators: new Set(list(raw.operators ?? "")),
      producers: new Set(list(raw.producers ?? "")),
      gateLabel: raw.gate_label ?? DEFAULTS.gate_label,
      evidenceGlobs: list(raw.evidence_globs ?? DEFAULTS.evidence_globs),
      policyGlobs: policyGlobsOf(raw.policy_globs ?? DEFAULTS.policy_globs),
      output: new Set(list(raw.output ?? DEFAULTS.output) as OutputMode[]),
      maxBodyBytes: Number(raw.max_body_bytes ?? DEFAULTS.max_body_bytes),
      receiptKey: raw.receipt_key !== undefined ? resolve(baseOf("receipt_key"), raw.receipt_key) : undefined,
      reviewTokens: new Map(list(raw.review_tokens ?? "").map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()])),
      reviewOrigin: raw.review_origin !== undefined ? new URL(raw.review_origin) : undefined,
    },
  };
}

/** Review tokens are `login=token` pairs: a login fit for receipts, each its own token of at least 24 characters. */
function reviewTokenProblems(value: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const pairs = list(value);
  if (pairs.length === 0) problems.push("give at least one `login=token` pair, or unset it for a read-only review page");
  pairs.forEach((pair, index) => {
    const split = pair.indexOf("=");
    const login = pair.slice(0, Math.max(split, 0)).trim();
    const token = pair.slice(split + 1).trim();
    if (split <= 0 || !actorSchema.safeParse(login).success) {
      problems.push(`pair ${index + 1} does not start with a Forgejo login and \`=\`; write it like \`alice=<token>\``);
      return;
    }
    if (token.length < 24) problems.push(`the token of ${quote(login)} has ${token.length} characters; use at least 24 random ones (e.g. \`openssl rand -hex 24\`)`);
    else if (/[\s\u0000-\u001f\u007f]/.test(token)) problems.push(`the token of ${quote(login)} holds whitespace or control characters; use printable characters only`);
    const owner = [...seen].find(([, other]) => other === token)?.[0];
    if (seen.has(login)) problems.push(`${quote(login)} is given twice; give each login once`);
    else if (owner !== undefined && token.length >= 24) problems.push(`${quote(login)} has the same token as ${quote(owner)}; give each operator a token of their own`);
    seen.set(login, token);
  });
  return problems;
}

/** `config.output` → `PATCHWARDEN_OUTPUT` or ``output in `FILE` ``, so the message names what the operator set, where. */
function sourcePath(path: string, sources: Partial<Record<SettingName, Source>>): string {
  const key = path.replace(/^config\./, "") as SettingName;
  return (Object.hasOwn(sources, key) ? sources[key]?.name : undefined) ?? path;
}

/**
 * What in a URL may be a secret, so the URL is not echoed: `user:pass@`, any `@` where it is not
 * an http(s) URL (`bot:token@host` reads as a scheme), a query (Forgejo takes `?token=`). Null: none.
 */
function secretInUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value.includes("@") ? "holds a user name or password" : null;
  }
  const http = url.protocol === "http:" || url.protocol === "https:";
  if (url.username !== "" || url.password !== "" || (!http && value.includes("@"))) return "holds a user name or password";
  if (http && url.search !== "") return "holds a query";
  return null;
}

function isHttpOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "" && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}

/** `none` (any case, spaces around it allowed) turns policy what-ifs off. */
function policyGlobsOf(setting: string): string[] {
  return isNone(setting) ? [] : list(setting);
}
