import { posix } from "node:path";
import type { NodePath } from "../model/paths.js";
import { isArgoCdApplication, type Resource } from "../model/resource.js";
import type { ParsedWorkspace } from "../scan/parse-workspace.js";
import { get, getIn, getMap, getPair, getText, isMap, isScalar, seqItems, type YamlMap, type YamlNode } from "../yaml/nodes.js";

/** Where an Application syncs to: a cluster (by API server URL or by name) and a namespace. */
export interface ArgoDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

/** A Helm values file a source names, with `$ref/…` resolved through the source whose `ref:` it names. */
export interface ArgoValueFile {
  /** As written in `helm.valueFiles`. */
  written: string;
  /** The repository the file is read from: the `$ref` source's, or the source's own. */
  repoURL?: string;
  /**
   * The file's path within that repository (`/`-separated, no leading `./`); absent when it cannot be told
   * (a `$ref` no source names, or a file relative to a chart that comes from a Helm repository).
   */
  path?: string;
}

/** One of an Application's sources (`spec.source`, or an item of `spec.sources`). */
export interface ArgoSource {
  /** The item of `spec.sources`; absent for `spec.source`. */
  index?: number;
  /** Where the source's mapping sits in its document (for edits). */
  nodePath: NodePath;
  repoURL?: string;
  path?: string;
  chart?: string;
  /** As written; absent when the source has none (Argo CD then tracks HEAD, or the newest chart). */
  targetRevision?: string;
  ref?: string;
  valueFiles: ArgoValueFile[];
  valuesObject: boolean;
  kustomizeImages: string[];
}

/** An Argo CD Application, or the template of an ApplicationSet (its name as written, `{{…}}` and all). */
export interface ArgoApplication {
  kind: "Application" | "ApplicationSet";
  /** metadata.name of the Application, or of the ApplicationSet's template (falling back to the ApplicationSet's). */
  name: string;
  /** The ApplicationSet's own name, for an ApplicationSet. */
  applicationSet?: string;
  namespace?: string;
  project?: string;
  destination: ArgoDestination;
  sources: ArgoSource[];
  file: string;
  document: number;
}

/** An application and what it deploys from this repository. */
export interface ArgoDeployment {
  application: ArgoApplication;
  /** Folders of this repository that its sources sync (`.` for the root), sorted. */
  folders: string[];
  /** Values files of this repository its Helm sources read, sorted. */
  valueFiles: string[];
}

export interface DeployedByOptions {
  /**
   * The URLs this repository is known by (https, ssh, with or without `.git`). Without any (the CLI), a source is
   * taken to be from this repository when its `path` is a folder of the workspace.
   */
  repositoryUrls: readonly string[];
}

/** An application that deploys a file, for people: its name and where it syncs to. */
export interface DeployingApplication {
  kind: "Application" | "ApplicationSet";
  name: string;
  file: string;
  destination: ArgoDestination;
}

/** Every Argo CD Application and ApplicationSet template in the workspace, in file order. */
export function argoApplications(workspace: Pick<ParsedWorkspace, "resources">): ArgoApplication[] {
  return workspace.resources.filter(isArgoCdApplication).map(readApplication);
}

/** Reads one Application (or ApplicationSet template) object. */
export function readApplication(resource: Resource): ArgoApplication {
  const isSet = resource.kind === "ApplicationSet";
  const template = isSet ? getMap(getMap(resource.node, "spec"), "template") : resource.node;
  const specPath: NodePath = isSet ? [...resource.path, "spec", "template", "spec"] : [...resource.path, "spec"];
  const spec = getMap(template, "spec");
  const metadata = getMap(template, "metadata");
  const name = (isSet ? getText(metadata, "name") : undefined) ?? resource.name;
  const namespace = (isSet ? getText(metadata, "namespace") : undefined) ?? resource.namespace;
  const project = getText(spec, "project");
  const destinationNode = getMap(spec, "destination");
  const destination: ArgoDestination = {};
  for (const key of ["server", "name", "namespace"] as const) {
    const value = getText(destinationNode, key);
    if (value !== undefined) destination[key] = value;
  }
  const raw: [YamlMap, NodePath, number | undefined][] = [];
  const single = get(spec, "source");
  if (isMap(single)) raw.push([single, [...specPath, "source"], undefined]);
  seqItems(get(spec, "sources")).forEach((item, index) => {
    if (isMap(item)) raw.push([item, [...specPath, "sources", index], index]);
  });
  const sources = raw.map(([node, nodePath, index]) => readSource(node, nodePath, index));
  for (const source of sources) source.valueFiles = source.valueFiles.map((file) => resolveValueFile(file.written, source, sources));
  return {
    kind: isSet ? "ApplicationSet" : "Application",
    name,
    ...(isSet ? { applicationSet: resource.name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(project !== undefined ? { project } : {}),
    destination,
    sources,
    file: resource.file,
    document: resource.document,
  };
}

function readSource(node: YamlMap, nodePath: NodePath, index: number | undefined): ArgoSource {
  const text = (key: string) => getText(node, key);
  const targetRevision = getPair(node, "targetRevision")?.value;
  const revision = isScalar(targetRevision) && targetRevision.value !== null ? targetRevision.text : undefined;
  const source: ArgoSource = {
    ...(index !== undefined ? { index } : {}),
    nodePath,
    valueFiles: [],
    valuesObject: isMap(getIn(node, ["helm", "valuesObject"])),
    kustomizeImages: seqItems(getIn(node, ["kustomize", "images"])).flatMap((item) => (isScalar(item) && item.value !== null ? [item.text] : [])),
  };
  for (const key of ["repoURL", "path", "chart"] as const) {
    const value = text(key);
    if (value !== undefined) source[key] = value;
  }
  if (revision !== undefined) source.targetRevision = revision;
  const ref = text("ref");
  if (ref !== undefined) source.ref = ref;
  source.valueFiles = seqItems(getIn(node, ["helm", "valueFiles"])).flatMap((item: YamlNode) => (isScalar(item) && item.value !== null ? [{ written: item.text }] : []));
  return source;
}

/** `$values/charts/x.yaml` through the source with `ref: values`; a plain file relative to the source's own path. */
function resolveValueFile(written: string, source: ArgoSource, sources: readonly ArgoSource[]): ArgoValueFile {
  const reference = /^\$([^/]+)\/(.*)$/.exec(written);
  if (reference) {
    const named = sources.find((candidate) => candidate.ref === reference[1]);
    if (!named) return { written };
    return { written, ...(named.repoURL !== undefined ? { repoURL: named.repoURL } : {}), path: cleanPath(reference[2] as string) };
  }
  // Relative to the chart: inside this repository only when the chart is a folder of a Git source.
  if (source.chart !== undefined || source.path === undefined) return { written, ...(source.repoURL !== undefined ? { repoURL: source.repoURL } : {}) };
  const path = cleanPath(posix.join(source.path, written));
  // Argo CD refuses values files outside the repository.
  return { written, ...(source.repoURL !== undefined ? { repoURL: source.repoURL } : {}), ...(path === ".." || path.startsWith("../") ? {} : { path }) };
}

/** `./apps/` → `apps`, `` → `.`. */
function cleanPath(path: string): string {
  const normal = posix.normalize(path.replace(/^\/+/, "")).replace(/\/+$/, "");
  return normal === "" ? "." : normal;
}

/**
 * A repository URL in one comparable form: `host/owner/repo`, lowercase, without scheme, user, `.git` or a
 * trailing slash. `https://github.com/acme/gitops`, `git@github.com:acme/gitops.git` and
 * `ssh://git@github.com/acme/gitops` are all `github.com/acme/gitops`.
 */
export function normalizeRepositoryUrl(url: string): string {
  let rest = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(rest);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) rest = `${scp[1]}/${scp[2]}`;
  else rest = rest.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "");
  rest = rest.replace(/[?#].*$/, "").replace(/\/+$/, "").replace(/\.git$/i, "").replace(/\/+$/, "");
  // A default port says nothing.
  rest = rest.replace(/^([^/]+):(?:443|22)\//, "$1/");
  return rest.toLowerCase();
}

/**
 * What each application deploys from this repository: the folders its sources sync and the values files they read.
 * Applications that deploy nothing from here are left out.
 */
export function deployedBy(workspace: ParsedWorkspace, options: DeployedByOptions): ArgoDeployment[] {
  const known = new Set(options.repositoryUrls.map(normalizeRepositoryUrl));
  const folders = workspaceFolders(workspace);
  const files = new Set(workspace.files.map((file) => file.path));
  const isHere = (repoURL: string | undefined) => repoURL !== undefined && known.has(normalizeRepositoryUrl(repoURL));
  const deployments: ArgoDeployment[] = [];
  for (const application of argoApplications(workspace)) {
    const deployedFolders = new Set<string>();
    const valueFiles = new Set<string>();
    for (const source of application.sources) {
      if (source.path !== undefined && source.chart === undefined) {
        const folder = cleanPath(source.path);
        if (known.size > 0 ? isHere(source.repoURL) : folders.has(folder)) deployedFolders.add(folder);
      }
      for (const file of source.valueFiles) {
        if (file.path === undefined) continue;
        if (known.size > 0 ? isHere(file.repoURL) : files.has(file.path)) valueFiles.add(file.path);
      }
    }
    if (deployedFolders.size === 0 && valueFiles.size === 0) continue;
    deployments.push({ application, folders: [...deployedFolders].sort(compareText), valueFiles: [...valueFiles].sort(compareText) });
  }
  return deployments;
}

/** The applications that deploy a file of this repository: it is under a folder they sync, or a values file they read. Sorted by name. */
export function applicationsForFile(deployments: readonly ArgoDeployment[], path: string): DeployingApplication[] {
  const file = cleanPath(path);
  const found = new Map<string, DeployingApplication>();
  for (const { application, folders, valueFiles } of deployments) {
    const deploys = valueFiles.includes(file) || folders.some((folder) => folder === "." || file.startsWith(`${folder}/`));
    if (!deploys) continue;
    const entry: DeployingApplication = { kind: application.kind, name: application.name, file: application.file, destination: application.destination };
    found.set(JSON.stringify(entry), entry);
  }
  return [...found.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.file, b.file));
}

/** Every folder that holds a file of the workspace, at any depth, and `.`. */
function workspaceFolders(workspace: ParsedWorkspace): Set<string> {
  const folders = new Set<string>(["."]);
  for (const file of workspace.files) {
    let folder = posix.dirname(file.path);
    while (folder !== "." && folder !== "/" && !folders.has(folder)) {
      folders.add(folder);
      folder = posix.dirname(folder);
    }
  }
  return folders;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
