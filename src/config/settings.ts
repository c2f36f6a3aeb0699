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
  policy_globs: "PATCHWARDEN_POLICY_GLOBS",
  output: "PATCHWARDEN_OUTPUT",
  max_body_bytes: "PATCHWARDEN_MAX_BODY_BYTES",
  receipt_key: "PATCHWARDEN_RECEIPT_KEY",
  review_tokens: "PATCHWARDEN_REVIEW_TOKENS",
  review_origin: "PATCHWARDEN_REVIEW_ORIGIN",
} as const;

export type SettingName = keyof typeof SETTINGS;

/** The comma-separated settings: only these may be a TOML list in the file. */
export const LIST_SETTINGS: ReadonlySet<SettingName> = new Set<SettingName>(["repos", "operators", "producers", "evidence_globs", "policy_globs", "output", "review_tokens"]);

export const isSettingName = (key: string): key is SettingName => Object.hasOwn(SETTINGS, key);
