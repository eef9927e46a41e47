import type { ActiveRule } from "../config/resolve.js";
import type { FixSettings, Limits } from "../config/types.js";
import type { PlainValue } from "../edit/render.js";
import type { ContainerRef } from "../model/pods.js";
import { containersOf, CONTAINER_LISTS, podSpecOf } from "../model/pods.js";
import type { Finding } from "../scan/finding.js";
import { parseWorkspace } from "../scan/parse-workspace.js";
import { runRules } from "../scan/scan.js";
import { toPlain } from "../yaml/plain.js";

/** One manifest file's text as the scan sees it: problems, data per document, findings, containers. */
export interface FileState {
  text: string;
  problems: string[];
  data: PlainValue[];
  findings: Finding[];
  container(document: number, path: readonly (string | number)[]): ContainerRef | undefined;
}

export function analyseFile(path: string, text: string, rules: readonly ActiveRule[], settings: FixSettings, limits: Limits): FileState {
  const workspace = parseWorkspace([{ path, role: "yaml", size: text.length, text }], limits);
  const file = workspace.files[0];
  const containers = workspace.resources.flatMap((resource) => {
    const pod = podSpecOf(resource);
    return pod ? containersOf(pod, CONTAINER_LISTS) : [];
  });
  return {
    text,
    // Line numbers in messages move with any insertion; compare what the problems are, not where.
    problems: (file?.problems ?? []).map((problem) => problem.message.replace(/line \d+/g, "line N")),
    data: (file?.documents ?? []).map((document) => toPlain(document.root)),
    findings: runRules(workspace, rules, settings),
    container: (document, containerPath) =>
      containers.find((candidate) => candidate.pod.resource.document === document && samePath(candidate.path, containerPath)),
  };
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
