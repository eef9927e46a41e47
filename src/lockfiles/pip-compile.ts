/**
 * Reads pip-tools files: the `requirements*.txt` that pip-compile writes
 * (header command, pins, hashes, `# via` annotations) and the `.in` files it
 * compiles them from (requirements with their PEP 440 specifiers).
 */

/** A name as PEP 503 compares it: lowercase, runs of `-`, `_` and `.` as one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** One logical line of a requirements file: backslash continuations joined, with where it starts. */
interface LogicalLine {
  text: string;
  offset: number;
}

function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  let offset = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const start = offset;
    offset += raw.length + 1;
    const continued = /\\\s*$/.test(line) && !line.trimStart().startsWith("#");
    const body = continued ? line.replace(/\\\s*$/, " ") : line;
    if (pending) pending.text += body;
    else pending = { text: body, offset: start };
    if (!continued) {
      lines.push(pending);
      pending = undefined;
    }
  }
  if (pending) lines.push(pending);
  return lines;
}

/** A `name==version` pin of a compiled requirements file. */
export interface PipPin {
  /** As written. */
  name: string;
  /** PEP 503-normalised. */
  key: string;
  version: string;
  /** Where the pin's line starts. */
  offset: number;
  hasHash: boolean;
  /** What the `# via` annotation names: `-r requirements.in`, `-c constraints.txt`, package names. */
  via: string[];
}

export interface PipCompiled {
  /** The pip-compile command of the header, if there is one. */
  command?: string;
  pins: PipPin[];
  /** Normalised names locked another way (`name @ url`, `-e …#egg=name`): present, with no version to judge. */
  otherEntries: Set<string>;
}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;\\]+)/;
const DIRECT_REFERENCE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@/;
const EGG = /#egg=([A-Za-z0-9][A-Za-z0-9._-]*)/;

/** Parses a requirements file that pip-compile wrote. */
export function parsePipCompiled(text: string): PipCompiled {
  const command = /^#\s+(pip-compile\b.*?)\s*$/m.exec(text)?.[1];
  const pins: PipPin[] = [];
  const otherEntries = new Set<string>();
  let current: PipPin | undefined;
  let inVia = false;
  for (const line of logicalLines(text)) {
    const trimmed = line.text.trim();
    if (trimmed.startsWith("#")) {
      const comment = trimmed.replace(/^#\s?/, "");
      // Annotations are indented under their pin: `    # via flask`, or `    # via` then `    #   flask`.
      if (!current || !/^\s/.test(line.text)) {
        inVia = false;
        continue;
      }
      const via = /^via(?:\s+(.*))?$/.exec(comment.trim());
      if (via) {
        inVia = true;
        // Older pip-compile writes them on one line: `# via flask, jinja2`.
        if (via[1]) current.via.push(...via[1].split(/,\s*/).map((source) => source.trim()));
      } else if (inVia && /^\s{2,}\S/.test(comment)) {
        current.via.push(comment.trim());
      } else {
        inVia = false;
      }
      continue;
    }
    inVia = false;
    if (trimmed === "") continue;
    current = undefined;
    if (trimmed.startsWith("-")) {
      const egg = EGG.exec(trimmed);
      if (/^(?:-e|--editable)\b/.test(trimmed) && egg?.[1]) otherEntries.add(normalizeName(egg[1]));
      continue;
    }
    const pin = PIN.exec(trimmed);
    if (pin?.[1] && pin[2]) {
      // Older pip-compile annotates on the pin's own line: `flask==2.3.3  # via -r requirements.in`.
      const via = /\s#\s*via\s+(.*)$/.exec(trimmed)?.[1]?.split(/,\s*/).map((source) => source.trim()) ?? [];
      current = { name: pin[1], key: normalizeName(pin[1]), version: pin[2], offset: line.offset + line.text.indexOf(pin[1]), hasHash: /--hash[=\s]/.test(trimmed), via };
      pins.push(current);
      continue;
    }
    const direct = DIRECT_REFERENCE.exec(trimmed);
    if (direct?.[1]) otherEntries.add(normalizeName(direct[1]));
  }
  return { ...(command ? { command } : {}), pins, otherEntries };
}

/** pip-compile options that take their value as the next argument. */
const OPTIONS_WITH_VALUE = new Set([
  "-o", "--output-file", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--pip-args", "--cache-dir",
  "-P", "--upgrade-package", "--unsafe-package", "-c", "--constraint", "--extra", "--build-deps-for", "--config",
  "--max-rounds", "--annotation-style", "--resolver", "--trusted-host", "--only-build-deps", "--all-build-deps",
]);

/** The sources a pip-compile command compiles, as written: `.in` files, setup.py, pyproject.toml… */
export function pipSources(command: string): string[] {
  const args = command.split(/\s+/).slice(1);
  const sources: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("-")) {
      if (OPTIONS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    sources.push(arg);
  }
  return sources;
}

/** The output file a pip-compile command names, if any. */
export function pipOutputFile(command: string): string | undefined {
  const match = /(?:^|\s)(?:--output-file|-o)(?:=|\s+)(\S+)/.exec(command);
  return match?.[1];
}

/** A requirement of a `.in` file. */
export interface PipRequirement {
  name: string;
  key: string;
  /** The PEP 440 specifier, "" when any version will do. */
  specifier: string;
  /** Where the requirement's name is written. */
  offset: number;
}

export interface PipSource {
  requirements: PipRequirement[];
  /** `-r other.in` includes, as written. */
  includes: string[];
  /** Every name the file requires, including the ones not judged (markers, direct references). */
  mentioned: Set<string>;
}

const REQUIREMENT = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$/;

/** Parses a pip-tools `.in` file. Constraints (`-c`), editables, URL and path requirements are not requirements it judges. */
export function parsePipSource(text: string): PipSource {
  const requirements: PipRequirement[] = [];
  const includes: string[] = [];
  const mentioned = new Set<string>();
  for (const line of logicalLines(text)) {
    // A comment starts a line or follows whitespace (`#` inside a URL is a fragment).
    const content = line.text.replace(/(?:^|\s)#.*$/, "").trim();
    if (content === "") continue;
    const include = /^(?:-r|--requirement)(?:\s*=?\s*)(\S+)$/.exec(content);
    if (include?.[1]) {
      includes.push(include[1]);
      continue;
    }
    if (content.startsWith("-")) continue; // -c constraints, -e editables, index options
    const requirement = REQUIREMENT.exec(content);
    if (!requirement?.[1]) continue;
    if (!/^[./]/.test(content) && !/^[:/+]/.test(requirement[2] ?? "")) mentioned.add(normalizeName(requirement[1]));
    // A requirement with an environment marker may rightly be absent from a lockfile compiled elsewhere: not judged.
    if (content.includes(";")) continue;
    const rest = (requirement[2] ?? "").trim();
    // Direct references (`name @ url`), URLs and local paths carry no specifier to judge.
    if (rest.startsWith("@") || /[:/]/.test(requirement[1]) || /^[./]/.test(content)) continue;
    if (rest !== "" && !/^[(<>=!~]/.test(rest)) continue;
    const specifier = rest.replace(/^\((.*)\)$/, "$1").replace(/\s+/g, "");
    requirements.push({ name: requirement[1], key: normalizeName(requirement[1]), specifier, offset: line.offset + line.text.indexOf(requirement[1]) });
  }
  return { requirements, includes, mentioned };
}
