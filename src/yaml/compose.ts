import { EVENT_ID, SCALAR_STYLE, COLLECTION_STYLE, getScalarValue, parseEvents, type Event, type ScalarEvent } from "js-yaml";
import type { ScalarValue, YamlMap, YamlNode, YamlScalar, YamlSeq } from "./nodes.js";
import { LineIndex } from "./lines.js";
import { resolvePlainScalar } from "./scalars.js";

export interface YamlLimits {
  /** Alias nodes (`*name`) allowed in one document. */
  maxAliases: number;
  /** Nodes one document may expand to once aliases are followed (alias bombs). */
  maxExpandedNodes: number;
  /** Collection nesting depth. */
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxAliases: 100, maxExpandedNodes: 1_000_000, maxDepth: 100 };

export interface YamlDocument {
  /** 0-based position of the document in its file. */
  index: number;
  root: YamlNode | undefined;
}

export interface YamlProblem {
  offset: number;
  message: string;
}

export interface ComposedFile {
  documents: YamlDocument[];
  problems: YamlProblem[];
}

interface Frame {
  node: YamlMap | YamlSeq;
  anchor: string | undefined;
  weight: number;
  pendingKey: YamlScalar | undefined;
  merges: YamlNode[];
}

interface DocumentState {
  index: number;
  root: YamlNode | undefined;
  aliases: number;
  weight: number;
  broken: boolean;
}

const DOCUMENT_SEPARATOR = /^---(?=[ \t\r\n]|$)/gm;

/**
 * Parses every document of a YAML file into offset-carrying nodes. A syntax
 * error does not lose the other documents: the file is split at `---` and each
 * part is read on its own, so only the broken document is reported.
 */
export function composeYaml(text: string, limits: YamlLimits = DEFAULT_YAML_LIMITS): ComposedFile {
  let lines: LineIndex | undefined;
  const lineOf = (offset: number) => (lines ??= new LineIndex(text)).position(offset).line;
  try {
    return new Composer(text, 0, 0, limits, lineOf).run();
  } catch {
    return composeInParts(text, limits, lineOf);
  }
}

function composeInParts(text: string, limits: YamlLimits, lineOf: (offset: number) => number): ComposedFile {
  const starts = [0];
  for (const match of text.matchAll(DOCUMENT_SEPARATOR)) if (match.index > 0) starts.push(match.index);
  const result: ComposedFile = { documents: [], problems: [] };
  starts.forEach((start, part) => {
    const partText = text.slice(start, starts[part + 1] ?? text.length);
    try {
      const composed = new Composer(partText, start, result.documents.length, limits, lineOf).run();
      result.documents.push(...composed.documents);
      result.problems.push(...composed.problems);
    } catch (error) {
      result.problems.push(syntaxProblem(error, partText, start, limits));
      result.documents.push({ index: result.documents.length, root: undefined });
    }
  });
  return result;
}

function syntaxProblem(error: unknown, text: string, base: number, limits: YamlLimits): YamlProblem {
  const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
  const position = (error as { mark?: { position?: number } }).mark?.position;
  // An error at the end of a part (an unclosed `[`) belongs to that part, not to the next `---`.
  const offset = typeof position === "number" ? Math.max(0, Math.min(position, text.trimEnd().length - 1)) : 0;
  const message = /maxDepth/.test(reason) ? `nesting is deeper than ${limits.maxDepth} levels (limits.maxDepth)` : `YAML syntax error: ${reason}`;
  return { offset: base + offset, message };
}

class Composer {
  private readonly documents: YamlDocument[] = [];
  private readonly problems: YamlProblem[] = [];
  private readonly stack: Frame[] = [];
  private anchors = new Map<string, { node: YamlNode; weight: number }>();
  private document: DocumentState | undefined;
  private lastEnd: number;

  constructor(
    private readonly text: string,
    /** Where `text` starts in the whole file: every stored offset is shifted by it. */
    private readonly base: number,
    private readonly firstIndex: number,
    private readonly limits: YamlLimits,
    private readonly lineOf: (offset: number) => number,
  ) {
    this.lastEnd = base;
  }

  run(): ComposedFile {
    // js-yaml counts the scalar leaves as a level too: allow maxDepth nested collections.
    const events = parseEvents(this.text, { maxDepth: this.limits.maxDepth + 1 });
    for (const event of events) this.handle(event);
    return { documents: this.documents, problems: this.problems };
  }

  private handle(event: Event): void {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        this.document = { index: this.firstIndex + this.documents.length, root: undefined, aliases: 0, weight: 0, broken: false };
        this.anchors = new Map();
        return;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const flow = event.style === COLLECTION_STYLE.FLOW;
        const offset = this.base + event.start;
        const node: YamlMap | YamlSeq =
          event.type === EVENT_ID.MAPPING
            ? { kind: "map", offset, flow, pairs: new Map() }
            : { kind: "seq", offset, flow, items: [] };
        this.stack.push({ node, anchor: this.anchorName(event), weight: 1, pendingKey: undefined, merges: [] });
        return;
      }
      case EVENT_ID.SCALAR:
        this.add(this.scalar(event), 1, this.anchorName(event));
        return;
      case EVENT_ID.ALIAS:
        this.alias(this.text.slice(event.anchorStart, event.anchorEnd), this.base + event.anchorStart - 1);
        return;
      case EVENT_ID.POP:
        this.pop();
        return;
    }
  }

  private pop(): void {
    const frame = this.stack.pop();
    if (frame) {
      if (frame.node.kind === "map") applyMerges(frame.node, frame.merges);
      this.add(frame.node, frame.weight, frame.anchor);
      return;
    }
    const document = this.document;
    if (!document) return;
    this.documents.push({ index: document.index, root: document.broken ? undefined : document.root });
    this.document = undefined;
  }

  private alias(name: string, offset: number): void {
    const target = this.anchors.get(name);
    const document = this.document;
    if (!document) return;
    if (!target) {
      this.fail(offset, `alias *${name} refers to no anchor defined before it`);
      return;
    }
    document.aliases += 1;
    target.node.sharedAs = name;
    if (document.aliases === this.limits.maxAliases + 1) {
      this.fail(offset, `document has more than ${this.limits.maxAliases} aliases (limits.maxAliases); it was not scanned`);
      return;
    }
    this.add(target.node, target.weight, undefined);
  }

  private add(node: YamlNode, weight: number, anchor: string | undefined): void {
    if (anchor !== undefined) this.anchors.set(anchor, { node, weight });
    const parent = this.stack.at(-1);
    if (!parent) {
      if (this.document) {
        this.document.root = node;
        this.countWeight(weight, node.offset);
      }
      return;
    }
    parent.weight += weight;
    if (parent.node.kind === "seq") {
      parent.node.items.push(node);
    } else if (parent.pendingKey === undefined) {
      parent.pendingKey = node.kind === "scalar" ? node : this.complexKey(node);
    } else {
      const key = parent.pendingKey;
      parent.pendingKey = undefined;
      if (key.text === "<<" && !key.quoted) parent.merges.push(node);
      else this.setPair(parent.node, key, node);
    }
  }

  private setPair(map: YamlMap, key: YamlScalar, value: YamlNode): void {
    const previous = map.pairs.get(key.text);
    if (previous) {
      this.problems.push({
        offset: key.offset,
        message: `duplicate key "${key.text}" (also defined on line ${this.lineOf(previous.key.offset)}); Kubernetes tooling rejects or silently drops one of them, and this scan uses the last`,
      });
      map.pairs.delete(key.text);
    }
    map.pairs.set(key.text, { key, value });
  }

  /** Kubernetes objects never use collections as keys; name each by its place so two never collide. */
  private complexKey(node: YamlMap | YamlSeq): YamlScalar {
    const text = `[${node.kind === "map" ? "mapping" : "sequence"} key on line ${this.lineOf(node.offset)}]`;
    return { kind: "scalar", offset: node.offset, end: node.offset, text, value: text, quoted: true };
  }

  private countWeight(weight: number, offset: number): void {
    const document = this.document;
    if (!document || document.broken) return;
    document.weight += weight;
    if (document.weight > this.limits.maxExpandedNodes) {
      this.fail(offset, `document expands to more than ${this.limits.maxExpandedNodes} nodes through aliases (limits.maxExpandedNodes); it was not scanned`);
    }
  }

  private fail(offset: number, message: string): void {
    if (this.document && !this.document.broken) {
      this.document.broken = true;
      this.problems.push({ offset, message });
    }
  }

  private scalar(event: ScalarEvent): YamlScalar {
    const empty = event.valueStart < 0;
    const offset = empty ? this.lastEnd : this.base + event.valueStart;
    const end = empty ? this.lastEnd : this.base + event.valueEnd;
    this.lastEnd = end;
    const text = empty ? "" : getScalarValue(this.text, event);
    const plain = event.style === SCALAR_STYLE.PLAIN;
    const tag = event.tagStart < 0 ? "" : this.text.slice(event.tagStart, event.tagEnd);
    const value: ScalarValue = plain && tag !== "!!str" && tag !== "!" ? resolvePlainScalar(text) : text;
    return { kind: "scalar", offset, end, text, value, quoted: !plain };
  }

  private anchorName(event: { anchorStart: number; anchorEnd: number }): string | undefined {
    return event.anchorStart < 0 ? undefined : this.text.slice(event.anchorStart, event.anchorEnd);
  }
}

/** YAML 1.1 merge keys, as Kubernetes' YAML readers apply them: explicit keys win. */
function applyMerges(map: YamlMap, merges: readonly YamlNode[]): void {
  for (const source of merges) {
    const maps = source.kind === "seq" ? source.items : [source];
    for (const merged of maps) {
      if (merged.kind !== "map") continue;
      for (const [key, pair] of merged.pairs) if (!map.pairs.has(key)) map.pairs.set(key, pair);
    }
  }
}

