import { parseDockerfile, tokens, type DockerfileInstruction, type DockerfileToken } from "./dockerfile-instructions.js";
import { SiteRecorder, type ImageReferenceSite } from "./site.js";

/**
 * Images a Dockerfile pulls:
 *
 * - `FROM [--platform=…] image [AS name]`. `FROM scratch` and `FROM stage`
 *   (an earlier stage's name) pull nothing and give no site.
 * - ARGs declared before the first FROM are substituted (`$NAME`, `${NAME}`,
 *   `${NAME:-default}`, `${NAME:+alt}`). When the image is one ARG
 *   (`FROM ${BASE}`) the site is that ARG's default value, which is what a pin
 *   edits (details.argument, details.fromLine); otherwise the site is the FROM
 *   token with the substituted image (details.substituted). An ARG without a
 *   default, or another expansion, leaves the site templated: `--build-arg`
 *   decides it.
 * - `COPY --from=image` where `image` is no stage name or index.
 */
export function dockerfileImageSites(file: string, text: string): ImageReferenceSite[] {
  const recorder = new SiteRecorder(file, text);
  const { escape, instructions } = parseDockerfile(text);
  const allStages = new Set<string>();
  for (const instruction of instructions) if (instruction.keyword === "FROM") {
    const alias = fromParts(instruction).alias;
    if (alias) allStages.add(alias.text.toLowerCase());
  }
  const globalArgs = new Map<string, ArgValue>();
  const earlierStages = new Set<string>();
  let stageIndex = -1;
  let stageAlias: string | undefined;
  for (const instruction of instructions) {
    if (instruction.keyword === "ARG" && stageIndex === -1) {
      for (const arg of argsOf(instruction)) globalArgs.set(arg.name, resolveArg(arg, globalArgs, escape));
      continue;
    }
    if (instruction.keyword === "FROM") {
      stageIndex += 1;
      const { platform, image, alias } = fromParts(instruction);
      stageAlias = alias?.text;
      if (image) {
        const stage = { stageIndex: String(stageIndex), ...(stageAlias ? { stage: stageAlias } : {}), ...(platform ? { platform } : {}) };
        recordImage(recorder, image, globalArgs, escape, earlierStages, stage);
      }
      if (alias) earlierStages.add(alias.text.toLowerCase());
      continue;
    }
    if (instruction.keyword === "COPY") {
      for (const token of tokens(instruction)) {
        if (!token.text.startsWith("--")) break;
        if (!token.text.startsWith("--from=")) continue;
        const source = { text: token.text.slice(7), offset: token.offset + 7, end: token.end };
        if (source.text === "" || /^\d+$/.test(source.text) || allStages.has(source.text.toLowerCase())) continue;
        const stage = { stageIndex: String(stageIndex), ...(stageAlias ? { stage: stageAlias } : {}) };
        recorder.add({ kind: "dockerfile-copy-from", image: source.text, offset: source.offset, end: source.end, details: stage, templated: source.text.includes("$") });
      }
    }
  }
  return recorder.sorted();
}

interface ArgValue {
  name: string;
  /** The default as written, unquoted, and where it is; undefined for `ARG NAME`. */
  raw: { text: string; offset: number; end: number } | undefined;
  /** The default with earlier ARGs substituted; undefined when it has none or cannot be resolved. */
  value: string | undefined;
  substituted: string[];
}

function fromParts(instruction: DockerfileInstruction): { platform?: string; image?: DockerfileToken; alias?: DockerfileToken } {
  const all = tokens(instruction);
  let at = 0;
  let platform: string | undefined;
  for (; at < all.length && all[at]!.text.startsWith("--"); at += 1) {
    const flag = all[at]!.text;
    if (flag.startsWith("--platform=")) platform = flag.slice("--platform=".length);
  }
  const image = all[at];
  const as = all[at + 1];
  const alias = as && as.text.toLowerCase() === "as" ? all[at + 2] : undefined;
  return { ...(platform !== undefined ? { platform } : {}), ...(image ? { image } : {}), ...(alias ? { alias } : {}) };
}

function argsOf(instruction: DockerfileInstruction): ArgValue[] {
  return tokens(instruction).map((token) => {
    const equals = token.text.indexOf("=");
    if (equals === -1) return { name: token.text, raw: undefined, value: undefined, substituted: [] };
    let text = token.text.slice(equals + 1);
    let offset = token.offset + equals + 1;
    let end = token.end;
    const quote = text[0];
    if ((quote === '"' || quote === "'") && text.length >= 2 && text.endsWith(quote)) {
      text = text.slice(1, -1);
      offset += 1;
      end -= 1;
    }
    return { name: token.text.slice(0, equals), raw: { text, offset, end }, value: undefined, substituted: [] };
  });
}

function resolveArg(arg: ArgValue, known: ReadonlyMap<string, ArgValue>, escape: string): ArgValue {
  if (!arg.raw) return arg;
  const resolved = substitute(arg.raw.text, known, escape);
  return { ...arg, value: resolved.unresolved.length === 0 ? resolved.value : undefined, substituted: resolved.names };
}

interface Substitution {
  value: string;
  /** ARGs used, in order of first use. */
  names: string[];
  /** ARGs (or expansions) that could not be resolved. */
  unresolved: string[];
}

const BRACED = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\}/;
const BARE = /^\$([A-Za-z_][A-Za-z0-9_]*)/;

/** Expands ARGs the way the Dockerfile frontend does for FROM (no shell: just these forms). */
function substitute(text: string, args: ReadonlyMap<string, ArgValue>, escape: string): Substitution {
  const result: Substitution = { value: "", names: [], unresolved: [] };
  for (let i = 0; i < text.length; ) {
    const rest = text.slice(i);
    if (rest.startsWith(`${escape}$`)) {
      result.value += "$";
      i += 2;
      continue;
    }
    if (!rest.startsWith("$")) {
      result.value += text[i];
      i += 1;
      continue;
    }
    const match = BRACED.exec(rest) ?? BARE.exec(rest);
    if (!match) {
      result.unresolved.push(rest.startsWith("${") ? rest.slice(0, rest.indexOf("}") + 1 || undefined) : "$");
      result.value += "$";
      i += 1;
      continue;
    }
    const name = match[1]!;
    const value = args.get(name)?.value;
    if (!result.names.includes(name)) result.names.push(name);
    if (match[2] === ":-") result.value += value !== undefined && value !== "" ? value : (match[3] ?? "");
    else if (match[2] === ":+") result.value += value !== undefined && value !== "" ? (match[3] ?? "") : "";
    else if (value !== undefined) result.value += value;
    else result.unresolved.push(name);
    i += match[0].length;
  }
  return result;
}

function recordImage(
  recorder: SiteRecorder,
  token: DockerfileToken,
  args: ReadonlyMap<string, ArgValue>,
  escape: string,
  stages: ReadonlySet<string>,
  stage: { stageIndex: string; stage?: string; platform?: string },
): void {
  const kind = "dockerfile-from";
  const resolved = substitute(token.text, args, escape);
  const templated = resolved.unresolved.length > 0;
  const image = templated ? token.text : resolved.value;
  if (!templated && (image.toLowerCase() === "scratch" || stages.has(image.toLowerCase()))) return;
  const whole = BRACED.exec(token.text) ?? BARE.exec(token.text);
  const argument = whole && whole[0] === token.text && whole[2] === undefined ? args.get(whole[1]!) : undefined;
  if (argument?.raw && argument.value !== undefined) {
    recorder.add({
      kind,
      image,
      offset: argument.raw.offset,
      end: argument.raw.end,
      details: {
        ...stage,
        argument: argument.name,
        fromLine: String(recorder.position(token.offset).line),
        ...(argument.substituted.length > 0 ? { substituted: argument.substituted.join(",") } : {}),
      },
    });
    return;
  }
  recorder.add({
    kind,
    image,
    offset: token.offset,
    end: token.end,
    details: { ...stage, ...(resolved.names.length > 0 ? { substituted: resolved.names.join(",") } : {}) },
    templated,
  });
}
