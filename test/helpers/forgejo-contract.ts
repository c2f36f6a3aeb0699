import { readFileSync } from "node:fs";
import AjvModule, { type ValidateFunction } from "ajv";
import { fixture } from "./paths.js";

const Ajv = AjvModule.default ?? AjvModule;

interface SwaggerParameter {
  name: string;
  in: "path" | "query" | "body" | "formData" | "header";
  type?: string;
  enum?: string[];
  items?: { type?: string; enum?: string[] };
  collectionFormat?: string;
  required?: boolean;
  schema?: unknown;
}

interface SwaggerDefinition {
  type?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Record<string, unknown>>;
}

interface SwaggerOperation {
  parameters?: SwaggerParameter[];
  responses: Record<string, { $ref?: string; schema?: unknown }>;
}

interface Swagger {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  responses: Record<string, { schema?: unknown }>;
  definitions: Record<string, SwaggerDefinition>;
}

/** What a definition must hold beyond Forgejo's description: required fields, and keywords added to its properties or to itself. */
interface DefinitionOverlay {
  required?: string[];
  properties?: Record<string, Record<string, unknown>>;
  enum?: string[];
}

/**
 * What Forgejo really requires of the requests Patchwarden makes, and really sends in the answers it
 * reads, where its description says nothing: go-swagger marks almost no field `required` and no Go
 * string type's values, so `{"status":"failure"}` passed for a commit status, and `{}` for an issue.
 * Read from Forgejo's source (modules/structs, services/convert, routers/api/v1): every field
 * listed is a struct field without omitempty that Forgejo fills, or one a request means nothing
 * without. The answers' fields are those src/forgejo/api-schemas.ts and webhook-payloads.ts read.
 */
export const FORGEJO_REQUIRES: Readonly<Record<string, DefinitionOverlay>> = {
  // structs.CommitStatusState's constants (the statuses listing's `state` filter declares the same five).
  CommitStatusState: { enum: ["pending", "success", "error", "failure", "warning"] },
  // A status means its state; `status` (the answer's name for it) is not `state`.
  CreateStatusOption: { required: ["state"] },
  // binding:"Required": present and not empty.
  CreateIssueCommentOption: { required: ["body"], properties: { body: { minLength: 1 } } },
  ServerVersion: { required: ["version"] },
  // convert.ToAPIIssue: assets is [] when there are none, body "" (pull_request is null on an issue).
  Issue: { required: ["id", "number", "body", "assets", "user"] },
  // convert.ToAPIComment: a deleted poster is the Ghost user, never null.
  Comment: { required: ["id", "body", "user", "assets"] },
  User: { required: ["id", "login"] },
  // convert.ToAttachment: the reader downloads by uuid, and refuses an `external` one.
  Attachment: { required: ["id", "name", "size", "uuid", "browser_download_url", "type"] },
  // convert.ToChangedFile (a pull request's files).
  ChangedFile: { required: ["filename", "status"] },
  // repo.CompareDiff: files is every listed commit's files, [] when there are none.
  Compare: { required: ["total_commits", "commits", "files"] },
  CommitAffectedFiles: { required: ["filename", "status"] },
  CommitStatus: { required: ["id", "status", "context", "description"] },
};

/** Forgejo's description with FORGEJO_REQUIRES laid over it; a name or field it does not have is a mistake in the overlay, and throws. */
function withOverlay(label: string, definitions: Record<string, SwaggerDefinition>): Record<string, SwaggerDefinition> {
  const result = structuredClone(definitions);
  for (const [name, overlay] of Object.entries(FORGEJO_REQUIRES)) {
    const definition = result[name];
    if (definition === undefined) throw new Error(`${label}: FORGEJO_REQUIRES names \`${name}\`, which Forgejo's description does not define`);
    for (const field of [...(overlay.required ?? []), ...Object.keys(overlay.properties ?? {})]) {
      if (definition.properties?.[field] === undefined) throw new Error(`${label}: FORGEJO_REQUIRES names \`${name}.${field}\`, which Forgejo's description does not declare`);
    }
    if (overlay.required !== undefined) definition.required = [...new Set([...(definition.required ?? []), ...overlay.required])];
    for (const [field, keywords] of Object.entries(overlay.properties ?? {})) definition.properties![field] = { ...definition.properties![field], ...keywords };
    if (overlay.enum !== undefined) definition.enum = overlay.enum;
  }
  return result;
}

export interface MatchedOperation {
  template: string;
  operation: SwaggerOperation;
  params: Record<string, string>;
}

/**
 * Forgejo's own API description as a test oracle. Requests must match an operation (method, path,
 * parameter types, declared query parameters and their values' types, body schema, no body key
 * Forgejo would ignore); responses must match the response schema for their status. Both the v15
 * description and the v11 LTS one are checked, each with FORGEJO_REQUIRES laid over it.
 */
export class ForgejoContract {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly definitions: Record<string, SwaggerDefinition>;

  constructor(
    readonly label: string,
    private readonly swagger: Swagger,
  ) {
    this.definitions = withOverlay(label, swagger.definitions);
    this.ajv.addSchema({ definitions: this.definitions } as object, "swagger");
  }

  static load(file: string, label: string): ForgejoContract {
    return new ForgejoContract(label, JSON.parse(readFileSync(fixture(`forgejo/${file}`), "utf8")) as Swagger);
  }

  /** The operation for a request; like Forgejo's router, the most literal template wins (`/pulls/{index}/files` over `/pulls/{base}/{head}`). */
  match(method: string, pathname: string): MatchedOperation | null {
    const path = pathname.startsWith(this.swagger.basePath) ? pathname.slice(this.swagger.basePath.length) : null;
    if (path === null) return null;
    let best: MatchedOperation | null = null;
    for (const [template, operations] of Object.entries(this.swagger.paths)) {
      const operation = operations[method.toLowerCase()];
      if (!operation) continue;
      const names: string[] = [];
      // {filepath} spans segments; every other parameter is one segment.
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), name === "filepath" ? "(.+)" : "([^/]+)"))}$`);
      const found = pattern.exec(path);
      if (!found) continue;
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
      if (best === null || names.length < Object.keys(best.params).length) best = { template, operation, params };
    }
    return best;
  }

  /** Problems with a request, or [] when Forgejo's description allows it. */
  checkRequest(method: string, url: URL, body: unknown): string[] {
    const matched = this.match(method, url.pathname);
    if (matched === null) return [`${this.label}: no operation ${method} ${url.pathname}`];
    const problems: string[] = [];
    const parameters = matched.operation.parameters ?? [];
    for (const parameter of parameters.filter((p) => p.in === "path")) {
      const value = matched.params[parameter.name];
      if (value === undefined) problems.push(`${this.label}: ${matched.template} lacks path parameter ${parameter.name}`);
      else if (parameter.type === "integer" && !/^\d+$/.test(value)) problems.push(`${this.label}: ${matched.template} parameter ${parameter.name} must be an integer, got ${value}`);
    }
    const query = new Map(parameters.filter((p) => p.in === "query").map((p) => [p.name, p]));
    for (const key of new Set(url.searchParams.keys())) {
      const parameter = query.get(key);
      if (parameter === undefined) problems.push(`${this.label}: ${method} ${matched.template} has no query parameter \`${key}\``);
      else problems.push(...queryProblems(parameter, url.searchParams.getAll(key)).map((problem) => `${this.label}: ${method} ${matched.template} query parameter \`${key}\` ${problem}`));
    }
    const bodyParameter = parameters.find((p) => p.in === "body");
    if (bodyParameter?.schema !== undefined) {
      // Most bodies (a comment's, a status's) are not marked `required`, yet Forgejo binds a missing
      // one as `{}` and refuses it (422) for lacking the fields FORGEJO_REQUIRES lists: so it is a
      // problem, and checked as `{}`.
      if (body === undefined) problems.push(`${this.label}: ${method} ${matched.template} needs a JSON body`);
      problems.push(...this.validate(bodyParameter.schema, body ?? {}, `${method} ${matched.template} body`));
      problems.push(...this.ignoredKeys(bodyParameter.schema, body).map((key) => `${this.label}: ${method} ${matched.template} body: Forgejo has no field \`${key}\` here and would ignore it`));
    } else if (body !== undefined && method !== "GET") {
      problems.push(`${this.label}: ${method} ${matched.template} takes no JSON body`);
    }
    return problems;
  }

  /** Problems with a response body for an operation and status. */
  checkResponse(method: string, pathname: string, status: number, body: unknown): string[] {
    const matched = this.match(method, pathname);
    if (matched === null) return [`${this.label}: no operation ${method} ${pathname}`];
    const declared = matched.operation.responses[String(status)];
    if (declared === undefined) return [`${this.label}: ${method} ${matched.template} does not answer ${status}`];
    const schema = declared.$ref ? this.swagger.responses[declared.$ref.replace("#/responses/", "")]?.schema : declared.schema;
    if (schema === undefined || (schema as { type?: string }).type === "file") return [];
    return this.validate(schema, body, `${method} ${matched.template} → ${status}`);
  }

  /** Keys of a JSON body that its definition does not declare: Go's decoder drops them without a word. */
  private ignoredKeys(schema: unknown, body: unknown): string[] {
    const ref = (schema as { $ref?: string }).$ref;
    const definition = ref === undefined ? undefined : this.definitions[ref.replace("#/definitions/", "")];
    if (definition?.properties === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return [];
    return Object.keys(body).filter((key) => !(key in definition.properties!));
  }

  private validate(schema: unknown, value: unknown, what: string): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(rewriteRefs(schema) as object);
      this.compiled.set(key, validate);
    }
    // Forgejo's description never marks a field nullable, yet Go's nil pointers arrive as null.
    if (validate(dropNulls(value))) return [];
    return (validate.errors ?? []).map((e) => `${this.label}: ${what}: ${e.instancePath || "(root)"} ${e.message}`);
  }
}

/**
 * A query parameter's values against its declared type, as Forgejo reads them: ctx.FormInt and
 * FormBool quietly take a malformed value for 0 or false, so `limit=fifty` would not fail on
 * Forgejo, it would ask for something else.
 */
function queryProblems(parameter: SwaggerParameter, values: string[]): string[] {
  if (parameter.type !== "array" && values.length > 1) return [`is given ${values.length} times; Forgejo reads one`];
  const scalars = parameter.type === "array" ? (parameter.collectionFormat === "multi" ? values : values.flatMap((v) => v.split(","))) : values;
  const type = parameter.type === "array" ? parameter.items?.type : parameter.type;
  const allowed = parameter.type === "array" ? parameter.items?.enum : parameter.enum;
  const problems: string[] = [];
  for (const value of scalars) {
    if (type === "integer" && !/^-?\d+$/.test(value)) problems.push(`must be an integer, got \`${value}\``);
    else if (type === "boolean" && !GO_BOOLEANS.has(value)) problems.push(`must be a boolean, got \`${value}\``);
    else if (allowed !== undefined && !allowed.includes(value)) problems.push(`must be one of ${allowed.join(", ")}, got \`${value}\``);
  }
  return problems;
}

// strconv.ParseBool
const GO_BOOLEANS = new Set(["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"]);

function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace("#/definitions/", "swagger#/definitions/") : rewriteRefs(v)]));
}

export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
}

export const CONTRACTS = [ForgejoContract.load("swagger.v15.0.3.json", "v15.0.3"), ForgejoContract.load("swagger.v11.0.15-lts.json", "v11.0.15-lts")];
