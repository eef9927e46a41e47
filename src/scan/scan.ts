import type { ActiveRule } from "../config/resolve.js";
import { DEFAULT_FIX_SETTINGS, DEFAULT_LIMITS, type FixSettings, type Limits } from "../config/types.js";
import { CHECKS } from "../checks/registry.js";
import type { CheckContext, Hit, WorkspaceHit } from "../checks/types.js";
import { FIXES } from "../fixes/registry.js";
import type { FixSubject, NewFilePlanResult, TextPlanResult } from "../fixes/types.js";
import { groupBy } from "../group-by.js";
import { findImageReferences, type ImageContext } from "../images/find-references.js";
import { siteKeys } from "../images/site-keys.js";
import type { ImageReferenceSite } from "../images/site.js";
import { lookupKey, lookupOfSite, NO_DIGESTS, type DigestTable, type ImageLookup } from "../pins/lookup.js";
import type { DigestResult } from "../registry/types.js";
import { pinnability } from "../pins/plan.js";
import { pinPlaceOf, type PinPlace } from "../pins/pin-place.js";
import { kustomizeOwners } from "../images/kustomize-owners.js";
import { kustomizePatchFiles } from "../kustomize/patch-files.js";
import { BASE_VALUES_NAMES, chartsOf } from "../images/helm-charts.js";
import { chartValuesFiles, helmValuesFindings } from "../helm/values-findings.js";
import { containersOf, podSpecOf, type ContainerList, type ContainerRef } from "../model/pods.js";
import type { ParsedFile } from "../model/parsed-file.js";
import type { Resource } from "../model/resource.js";
import { loadWorkspace, type WorkspaceFile } from "../workspace/load.js";
import { describePath } from "../model/paths.js";
import { sharedAnchorOnPath } from "../yaml/nodes.js";
import { compareFindings, type Finding } from "./finding.js";
import { fingerprintOf } from "./fingerprint.js";
import { chartLookupKey, type ChartLookup, type LockfileLookups } from "../lockfiles/lookups.js";
import { parseWorkspace, type ParsedWorkspace } from "./parse-workspace.js";
import { reconcileWithRenderings, type Renderings } from "./rendered.js";
import { ignoredRules, isIgnored } from "./suppression.js";

export interface ScanOptions {
  root: string;
  rules: readonly ActiveRule[];
  ignorePaths?: readonly string[];
  limits?: Partial<Limits>;
  fixSettings?: FixSettings;
  /** Called as files are parsed, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /** The time certificates are judged at. Default: now. */
  now?: Date;
}

/** What rules may need beyond the files themselves. */
export interface RuleContext {
  /** Charts and files that image sites need beyond the files scanned (the fix engine rescans one file at a time). */
  images?: ImageContext;
  /** Digests found by the look-up step; checks that need them find nothing without. */
  digests?: DigestTable;
  /** Told of every tag an active check needs looked up (image-digest-outdated). */
  wantLookup?: (lookup: ImageLookup) => void;
  /** The time certificates are judged at. Default: now. */
  now?: Date;
  /** What the look-up step found for lockfiles (chart versions, regenerated npm locks). */
  lockfiles?: LockfileLookups;
  /** Told of every chart whose versions an active check needs (lockfile-maintenance). */
  wantChartVersions?: (lookup: ChartLookup) => void;
  /** The rest of the workspace, for a one-file rescan (a values file's chart templates and base values). */
  workspaceFile?: (path: string) => ParsedFile | undefined;
  /** The kustomizations as `kubectl kustomize` built them: objects they render are judged as rendered. */
  renderings?: Renderings;
}

export interface ScanResult {
  findings: Finding[];
  /** Files read (every role but "other") and Kubernetes objects found. */
  stats: { files: number; resources: number };
  /** The parsed files, for fixing what was found. */
  workspace: ParsedWorkspace;
  /** Tags that active checks need looked up before they can judge (see rescanWithLookups). */
  lookups: ImageLookup[];
  /** Charts whose versions active checks need before they can judge. */
  chartLookups: ChartLookup[];
  /** The time the scan judged certificates at. */
  now: Date;
  /** The kustomizations rendered for this scan, if they were (see withRenderings). */
  renderings?: Renderings;
}

/** Scans a folder: read, parse, run every active rule, filter, sort. Never throws on bad input. */
export function scanDirectory(options: ScanOptions): ScanResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return scanFiles(loadWorkspace(options.root, { maxFileBytes: limits.maxFileBytes, ignorePaths: options.ignorePaths ?? [] }), options);
}

/** Scans files already read (from a folder, or from a repository tarball in memory). */
export function scanFiles(files: readonly WorkspaceFile[], options: Omit<ScanOptions, "root" | "ignorePaths">): ScanResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const workspace = parseWorkspace(files, limits, (done) => options.onProgress?.(done, files.length));
  const lookups = new Map<string, ImageLookup>();
  const wantLookup = (lookup: ImageLookup) => lookups.set(JSON.stringify(lookup), lookup);
  const chartLookups = new Map<string, ChartLookup>();
  const wantChartVersions = (lookup: ChartLookup) => chartLookups.set(chartLookupKey(lookup), lookup);
  const now = options.now ?? new Date();
  const findings = runRules(workspace, options.rules, options.fixSettings, { wantLookup, wantChartVersions, now });
  return { findings, stats: statsOf(workspace), workspace, lookups: [...lookups.values()], chartLookups: [...chartLookups.values()], now };
}

/** The scan's findings once the look-up step has run: checks that need look-ups judge, fixes that cannot be made say why. */
export function rescanWithLookups(scanned: ScanResult, rules: readonly ActiveRule[], fixSettings: FixSettings | undefined, found: { digests: DigestTable; lockfiles: LockfileLookups }): ScanResult {
  const renderings = scanned.renderings ? { renderings: scanned.renderings } : {};
  return { ...scanned, findings: runRules(scanned.workspace, rules, fixSettings, { ...found, ...renderings, now: scanned.now }) };
}

/** The scan's findings once its kustomizations are rendered (src/kustomize/render-step.ts). */
export function withRenderings(scanned: ScanResult, rules: readonly ActiveRule[], fixSettings: FixSettings | undefined, renderings: Renderings): ScanResult {
  return { ...scanned, renderings, findings: runRules(scanned.workspace, rules, fixSettings, { renderings, now: scanned.now }) };
}

export function runRules(workspace: ParsedWorkspace, rules: readonly ActiveRule[], fixSettings: FixSettings = DEFAULT_FIX_SETTINGS, context: RuleContext = {}): Finding[] {
  const filesByPath = new Map(workspace.files.map((file) => [file.path, file]));
  const findings: Finding[] = [];
  /** `container` is the container itself for container checks, or just its name for image sites. */
  const emit: Emit = (active, file, hit, resource, subject, image, workspaceHit) => {
    const { line, column } = file.lines.position(hit.offset);
    const identity = resource ? { kind: resource.kind, name: resource.name, namespace: resource.namespace } : undefined;
    const container = typeof subject === "string" ? undefined : subject;
    const containerName = typeof subject === "string" ? subject : subject?.name;
    const lookup = image ? lookupOfSite(image.site) : undefined;
    const fix = active.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
    // A fix of one object edits the finding's own, or the one a workspace check names (an Ingress that serves a Secret).
    const fixOn = workspaceHit?.fixOn;
    const fixed = !container && fix?.scope === "resource" ? (fixOn ?? resource) : resource;
    const fixability = image
      ? imageFixabilityOf(active, image.site, image.place, lookup ? context.digests?.get(lookupKey(lookup)) : undefined)
      : fix?.scope === "lockfile"
        ? lockfileFixabilityOf(workspaceHit?.lockfile)
        : fix?.scope === "new-file" && active.rule.fix
          ? planFixability(fix.plan({ workspace, file: file.path, resource }, active.rule.fix.params, fixSettings))
          : fix?.scope === "text" && active.rule.fix
            ? planFixability(fix.plan({ path: file.path, role: file.role, text: file.text, offset: hit.offset }, active.rule.fix.params, fixSettings))
            : fix?.scope === "resource"
              ? resourceFixabilityOf(active, fixed, fixSettings, { file: file.path, resource: identity })
              : fixabilityOf(active, container, fixSettings);
    const target = container ? container.path : fix?.scope === "resource" ? fixed?.path : undefined;
    const pinIn = image && !image.place.overridden ? image.place.pinIn : undefined;
    findings.push({
      rule: active.rule.id,
      severity: workspaceHit?.severity ?? active.severity,
      file: file.path,
      line,
      column,
      message: hit.message,
      resource: identity,
      container: containerName,
      ...fixability,
      ...(target && fixed ? { target: { document: fixed.document, path: target } } : {}),
      ...(target && fixOn && fixed === fixOn ? { targetFile: fixOn.file } : {}),
      ...(fix?.scope === "lockfile" && workspaceHit?.lockfile ? { targetFile: workspaceHit.lockfile.path } : {}),
      ...(image ? { image: { site: image.key, ...(lookup ? { lookup } : {}), ...(pinIn ? { pinIn } : {}) } } : {}),
      fingerprint: fingerprintOf([active.rule.id, file.path, identity?.kind, identity?.namespace, identity?.name, containerName, hit.detail]),
    });
  };

  for (const active of rules) {
    const check = CHECKS.get(active.rule.check.name);
    if (check?.scope !== "file") continue;
    for (const file of workspace.files) {
      if (active.isExcluded({ kind: undefined, name: undefined, namespace: undefined, path: file.path })) continue;
      for (const hit of check.run(file, active.rule.check.params)) emit(active, file, hit);
    }
  }

  const patchFiles = kustomizePatchFiles(workspace.files);
  for (const resource of workspace.resources) {
    const file = filesByPath.get(resource.file);
    if (!file || patchFiles.has(resource.file)) continue;
    const pod = podSpecOf(resource);
    const ignored = ignoredRules(resource, pod);
    const facts = { kind: resource.kind, name: resource.name, namespace: resource.namespace, path: resource.file };
    for (const active of rules) {
      const check = CHECKS.get(active.rule.check.name);
      const kinds = active.rule.appliesTo.kinds;
      if (!check || (check.scope !== "resource" && check.scope !== "container") || (kinds && !kinds.includes(resource.kind))) continue;
      if (isIgnored(ignored, active.rule.id) || active.isExcluded(facts)) continue;
      const params = active.rule.check.params;
      if (check.scope === "resource") {
        for (const hit of check.run(resource, params)) emit(active, file, hit, resource);
      } else if (pod) {
        for (const container of containersOf(pod, active.rule.appliesTo.containers ?? ["containers"])) {
          for (const hit of check.run(container, params)) emit(active, file, hit, resource, container);
        }
      }
    }
  }
  findings.push(...runHelmRules(workspace, rules, filesByPath, fixSettings, context));
  runImageRules(workspace, rules, filesByPath, emit, context, fixSettings);
  const workspaceContext: CheckContext = {
    now: context.now ?? new Date(),
    settings: fixSettings,
    ...(context.lockfiles ? { lockfiles: context.lockfiles } : {}),
    ...(context.wantChartVersions ? { wantChartVersions: context.wantChartVersions } : {}),
  };
  runWorkspaceRules(workspace, rules, filesByPath, emit, workspaceContext);
  const found = uniqueFingerprints(findings.sort(compareFindings));
  if (!context.renderings) return found;
  const judge = (rendered: ParsedWorkspace, judged: readonly ActiveRule[]) => runRules(rendered, judged, fixSettings, { now: workspaceContext.now });
  return reconcileWithRenderings(found, workspace, rules, context.renderings, judge).sort(compareFindings);
}

type Emit = (
  active: ActiveRule,
  file: ParsedFile,
  hit: Hit,
  resource?: Resource,
  subject?: ContainerRef | string,
  image?: { site: ImageReferenceSite; key: string; place: PinPlace },
  /** Workspace checks: the severity the hit has (unless the config sets the rule's), the object its fix edits, the lockfile it rewrites. */
  workspaceHit?: Pick<WorkspaceHit, "severity" | "fixOn" | "lockfile">,
) => void;

/** Workspace checks see every file at once; the object a hit is on brings its ignore annotation and exclusions. */
function runWorkspaceRules(workspace: ParsedWorkspace, rules: readonly ActiveRule[], filesByPath: ReadonlyMap<string, ParsedFile>, emit: Emit, context: CheckContext): void {
  for (const active of rules) {
    const check = CHECKS.get(active.rule.check.name);
    if (check?.scope !== "workspace") continue;
    for (const hit of check.run(workspace, active.rule.check.params, context)) {
      const file = filesByPath.get(hit.file);
      if (!file) continue;
      const { resource } = hit;
      const facts = { kind: resource?.kind, name: resource?.name, namespace: resource?.namespace, path: hit.file };
      if ((resource && isIgnored(ignoredRules(resource, podSpecOf(resource)), active.rule.id)) || active.isExcluded(facts)) continue;
      // A severity the config sets for the rule replaces the check's own (certificate-expiring's tiers).
      const configured = active.severity !== active.rule.severity;
      const severity = configured ? active.severity : hit.severity;
      emit(active, file, hit, resource, undefined, undefined, { ...(severity ? { severity } : {}), ...(hit.fixOn ? { fixOn: hit.fixOn } : {}), ...(hit.lockfile ? { lockfile: hit.lockfile } : {}) });
    }
  }
}

/**
 * Container rules on Helm charts, judged as the values files make each
 * container (src/helm/values-findings.ts). A one-file rescan of a values
 * file brings the chart's templates and base values through the context.
 */
function runHelmRules(workspace: ParsedWorkspace, rules: readonly ActiveRule[], filesByPath: ReadonlyMap<string, ParsedFile>, fixSettings: FixSettings, context: RuleContext): Finding[] {
  if (!workspace.files.some((file) => file.role === "helm-values" || file.role === "helm-template")) return [];
  const charts = context.images?.charts ?? chartsOf(workspace.files, (file) => file.documents);
  const fileOf = (path: string) => filesByPath.get(path) ?? context.workspaceFile?.(path);
  return helmValuesFindings({
    charts,
    valuesFiles: (chart) => {
      const own = chartValuesFiles(workspace.files, chart);
      const base = BASE_VALUES_NAMES.map((name) => fileOf(chart.root === "" ? name : `${chart.root}/${name}`)).find((file) => file !== undefined);
      return base && !own.includes(base) ? [base, ...own] : own;
    },
    templateFile: fileOf,
    reports: (path) => filesByPath.has(path),
    rules,
    settings: fixSettings,
    judge: (virtual, judged) => runRules(virtual, judged, fixSettings, { now: context.now ?? new Date() }),
  });
}

/**
 * Image rules look at every image reference, wherever it is written. Kinds
 * and container lists narrow pod specs only; the ignore annotation and
 * exclusions of the object holding a reference (a workload, an Argo CD
 * Application) apply wherever it is.
 */
function runImageRules(
  workspace: ParsedWorkspace,
  rules: readonly ActiveRule[],
  filesByPath: ReadonlyMap<string, ParsedFile>,
  emit: Emit,
  context: RuleContext,
  fixSettings: FixSettings,
): void {
  const imageRules = rules.flatMap((active) => {
    const check = CHECKS.get(active.rule.check.name);
    return check?.scope === "image" ? [{ active, check }] : [];
  });
  if (imageRules.length === 0) return;
  const resourcesByDocument = groupBy(workspace.resources, (resource) => `${resource.file}#${resource.document}`);
  const sites = findImageReferences(workspace.files, context.images);
  const keys = siteKeys(sites);
  const digests = context.digests ?? NO_DIGESTS;
  const owners = context.images?.owners ?? kustomizeOwners(workspace.files, (file) => file.documents);
  for (const site of sites) {
    const file = filesByPath.get(site.file);
    if (!file) continue;
    const place = pinPlaceOf(site, owners, fixSettings);
    // The object that holds the reference (a workload, an Argo CD Application): its ignore annotation and exclusions apply.
    const resource = site.path
      ? resourcesByDocument.get(`${site.file}#${site.document}`)?.find((candidate) => candidate.path.every((part, index) => site.path?.[index] === part))
      : undefined;
    const ignored = resource ? ignoredRules(resource, podSpecOf(resource)) : new Set<string>();
    const facts = resource
      ? { kind: resource.kind, name: resource.name, namespace: resource.namespace, path: site.file }
      : { kind: undefined, name: undefined, namespace: undefined, path: site.file };
    for (const { active, check } of imageRules) {
      const { kinds, containers } = active.rule.appliesTo;
      if (site.kind === "pod-spec" && resource && kinds && !kinds.includes(resource.kind)) continue;
      if (site.kind === "pod-spec" && containers && !containers.includes(site.details.containerList as ContainerList)) continue;
      if (isIgnored(ignored, active.rule.id) || active.isExcluded(facts)) continue;
      // The kustomization's images entry decides what runs; its own site reports.
      if (place.overridden && check.judgesTag) continue;
      const lookup = check.lookup?.(site);
      if (lookup) context.wantLookup?.(lookup);
      const image = { site, key: keys.get(site) as string, place };
      for (const hit of check.run(site, active.rule.check.params, digests)) emit(active, file, hit, resource, site.details.container, image);
    }
  }
}

function planFixability(planned: NewFilePlanResult | TextPlanResult): Pick<Finding, "fixable" | "notFixableReason"> {
  return planned.ok ? { fixable: true } : { fixable: false, notFixableReason: planned.reason };
}

/** A lockfile finding is fixable when its check named the lockfile and found no reason the fix cannot rewrite it. */
function lockfileFixabilityOf(lockfile: WorkspaceHit["lockfile"]): Pick<Finding, "fixable" | "notFixableReason"> {
  if (!lockfile) return { fixable: false };
  return lockfile.notFixable === undefined ? { fixable: true } : { fixable: false, notFixableReason: lockfile.notFixable };
}

/** A finding is fixable when its rule has a fix and the fix can be planned for this container. */
function fixabilityOf(active: ActiveRule, container: ContainerRef | undefined, settings: FixSettings): Pick<Finding, "fixable" | "notFixableReason"> {
  const fix = active.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
  if (fix?.scope !== "container" || !container || !active.rule.fix) return { fixable: false };
  const planned = fix.plan(container, active.rule.fix.params, settings);
  if (!planned.ok) return { fixable: false, notFixableReason: planned.reason };
  const resource = container.pod.resource;
  for (const change of planned.plan.changes) {
    const anchor = sharedAnchorOnPath(resource.node, change.path.slice(resource.path.length));
    if (anchor !== undefined) {
      return { fixable: false, notFixableReason: `${describePath(change.path)} is shared through the YAML anchor &${anchor}; Shipshape does not edit shared values` };
    }
  }
  return { fixable: true };
}

/** A finding on an object is fixable when its rule's fix can be planned for that object (or the one its check names). */
function resourceFixabilityOf(active: ActiveRule, resource: Resource | undefined, settings: FixSettings, subject: FixSubject): Pick<Finding, "fixable" | "notFixableReason"> {
  const fix = active.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
  if (fix?.scope !== "resource" || !active.rule.fix) return { fixable: false };
  if (!resource) {
    const reason = fix.reasonWithoutObject?.();
    return reason === undefined ? { fixable: false } : { fixable: false, notFixableReason: reason };
  }
  const planned = fix.plan(resource, active.rule.fix.params, settings, subject);
  return planned.ok ? { fixable: true } : { fixable: false, notFixableReason: planned.reason };
}

/**
 * An image finding is fixable when its rule pins, the digest has a place to go, and the look-up step (when it
 * has run) found the digest: offline, or when the registry said no, the finding says why instead.
 */
function imageFixabilityOf(active: ActiveRule, site: ImageReferenceSite, place: PinPlace, found: DigestResult | undefined): Pick<Finding, "fixable" | "notFixableReason"> {
  const fix = active.rule.fix ? FIXES.get(active.rule.fix.name) : undefined;
  if (fix?.scope !== "image") return { fixable: false };
  if (found && !found.ok) return { fixable: false, notFixableReason: found.reason };
  if (!place.overridden && place.notPinnable) return { fixable: false, notFixableReason: place.notPinnable };
  if (!place.overridden && place.pinIn) return { fixable: true };
  const pinnable = pinnability(site);
  return pinnable.ok ? { fixable: true } : { fixable: false, notFixableReason: pinnable.reason };
}

function statsOf(workspace: ParsedWorkspace): ScanResult["stats"] {
  const read = workspace.files.filter((file) => file.role !== "other").length;
  return { files: read, resources: workspace.resources.length };
}

/** The same object written twice in one file would collide; number the repeats, in file order. */
function uniqueFingerprints(findings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  for (const finding of findings) {
    const count = seen.get(finding.fingerprint) ?? 0;
    seen.set(finding.fingerprint, count + 1);
    if (count > 0) finding.fingerprint = fingerprintOf([finding.fingerprint, String(count)]);
  }
  return findings;
}
