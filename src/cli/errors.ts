/** Bad flags or arguments: the message says what to type instead. Exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The command cannot run with the configuration it was given (policy, environment, data folder). Exit 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** A check the command performs found problems (e.g. `policy test` with failing cases). Exit 1, after printing them. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckFailed";
  }
}
