import { readFileSync } from "node:fs";
import AjvModule, { type ValidateFunction } from "ajv";
import { fixture } from "./paths.js";

const Ajv = AjvModule.default ?? AjvModule;

interface SwaggerParameter {
  name: string;
  in: "path" | "query" | "body" | "formData" | "header";
  type?: string;
  required?: boolean;
  schema?: unknown;
}

interface SwaggerOperation {
  parameters?: SwaggerParameter[];
  responses: Record<string, { $ref?: string; schema?: unknown }>;
}

interface Swagger {
  basePath: string;
  paths: Record<string, Record<string, SwaggerOperation>>;
  responses: Record<string, { schema?: unknown }>;
  definitions: Record<string, unknown>;
}

export interface MatchedOperation {
  template: string;
  operation: SwaggerOperation;
  params: Record<string, string>;
}

/**
 * Forgejo's own API description as a test oracle. Requests must match an operation (method, path,
 * parameter types, declared query parameters, body schema); responses must match the response
 * schema for their status. Both the v15 description and the v11 LTS one are checked.
 */
export class ForgejoContract {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    readonly label: string,
    private readonly swagger: Swagger,
  ) {
    this.ajv.addSchema({ definitions: swagger.definitions } as object, "swagger");
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
    const declared = new Set(parameters.filter((p) => p.in === "query").map((p) => p.name));
    for (const key of url.searchParams.keys()) {
      if (!declared.has(key)) problems.push(`${this.label}: ${method} ${matched.template} has no query parameter \`${key}\``);
    }
    const bodyParameter = parameters.find((p) => p.in === "body");
    if (bodyParameter?.schema !== undefined) {
      if (bodyParameter.required && body === undefined) problems.push(`${this.label}: ${method} ${matched.template} needs a body`);
      else if (body !== undefined) problems.push(...this.validate(bodyParameter.schema, body, `${method} ${matched.template} body`));
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
