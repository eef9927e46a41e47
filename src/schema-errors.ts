import type { ErrorObject } from "ajv";

/** Turns ajv's errors into sentences that name the bad key: `rules.foo.severity: must be one of critical, high, medium, low`. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath.split("/").slice(1).map(unescapePointer);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === "additionalProperties") {
      const key = String(params.additionalProperty);
      return `${[...path, key].join(".")}: unknown key`;
    }
    if (error.keyword === "required") {
      return `${[...path, String(params.missingProperty)].join(".")}: is required`;
    }
    const where = path.length > 0 ? path.join(".") : "(top level)";
    if (error.keyword === "enum") {
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
    }
    return `${where}: ${error.message ?? "is invalid"}`;
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
