import { ParsedFile } from "../model/parsed-file.js";
import { isArgoCdApplication, resourcesOf, type Resource } from "../model/resource.js";
import { composeYaml, type YamlLimits } from "../yaml/compose.js";
import { isYamlRole } from "../workspace/roles.js";
import type { WorkspaceFile } from "../workspace/load.js";

export interface ParsedWorkspace {
  files: ParsedFile[];
  resources: Resource[];
}

/** Parses every YAML file once, turns problems into file problems, and gives plain YAML files their content role. */
export function parseWorkspace(files: readonly WorkspaceFile[], limits: YamlLimits, onFile?: (done: number) => void): ParsedWorkspace {
  const parsed: ParsedFile[] = [];
  const resources: Resource[] = [];
  files.forEach((file, index) => {
    onFile?.(index + 1);
    if (file.unreadable !== undefined) {
      parsed.push(new ParsedFile(file.path, file.role, "", [], [{ offset: 0, message: file.unreadable }]));
      return;
    }
    const text = file.text ?? "";
    if (!isYamlRole(file.role)) {
      parsed.push(new ParsedFile(file.path, file.role, text, [], [], file.binary));
      return;
    }
    const { documents, problems } = composeYaml(text, limits);
    let role = file.role;
    if (role === "yaml") {
      const found = resourcesOf(file.path, documents);
      resources.push(...found);
      if (found.length > 0) role = found.some(isArgoCdApplication) ? "argocd-app" : "manifest";
    }
    parsed.push(new ParsedFile(file.path, role, text, documents, problems));
  });
  return { files: parsed, resources };
}
