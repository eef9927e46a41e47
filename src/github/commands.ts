/**
 * `/shipshape …` commands in issue and pull request comments. Pure: text in,
 * commands out. One command per line, at the start of the line (up to three
 * spaces before it, as Markdown allows); the command word is
 * case-insensitive. Lines in quoted replies (`> /shipshape …`), fenced or
 * indented code blocks and HTML comments are text about commands, not
 * commands, and are skipped.
 */

export const COMMAND_NAMES = ["help", "scan", "fix", "rebase", "ignore", "unignore", "explain"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** How each command is written, for help and usage errors. */
export const COMMAND_USAGE: Record<CommandName, string> = {
  help: "/shipshape help",
  scan: "/shipshape scan",
  fix: "/shipshape fix [rule…]",
  rebase: "/shipshape rebase",
  ignore: "/shipshape ignore <rule> [path-glob]",
  unignore: "/shipshape unignore <rule>",
  explain: "/shipshape explain <rule>",
};

/** What is wrong with a command's arguments. */
export type UsageProblem = "arguments-not-taken" | "rule-missing" | "too-many-arguments";

interface Written {
  /** The line as it was written, trimmed, for replies. */
  line: string;
}

export type ShipshapeCommand = Written &
  (
    | { name: "help" }
    | { name: "scan" }
    /** No rules: every fixable rule. */
    | { name: "fix"; rules: string[] }
    | { name: "rebase" }
    | { name: "ignore"; rule: string; path?: string }
    | { name: "unignore"; rule: string }
    | { name: "explain"; rule: string }
    /** A word after `/shipshape` that is no command. */
    | { name: "unknown"; word: string }
    /** A known command with the wrong arguments. */
    | { name: "invalid"; command: CommandName; problem: UsageProblem }
  );

const COMMAND_LINE = /^ {0,3}\/shipshape(?:[ \t]+(.*))?$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The commands in a comment, in the order they were written. */
export function parseCommands(body: string | null | undefined): ShipshapeCommand[] {
  const commands: ShipshapeCommand[] = [];
  let fence: string | undefined;
  let inHtmlComment = false;
  for (const raw of (body ?? "").split(/\r\n|\r|\n/)) {
    if (fence !== undefined) {
      if (closesFence(raw, fence)) fence = undefined;
      continue;
    }
    if (inHtmlComment) {
      if (raw.includes("-->")) inHtmlComment = false;
      continue;
    }
    const opening = FENCE.exec(raw);
    // A backtick fence's info string has no backticks; otherwise the line is inline code.
    if (opening && !(opening[1]?.startsWith("`") && opening[2]?.includes("`"))) {
      fence = opening[1];
      continue;
    }
    const htmlStart = /^ {0,3}<!--/.exec(raw);
    if (htmlStart) {
      if (!raw.slice(htmlStart[0].length).includes("-->")) inHtmlComment = true;
      continue;
    }
    // Quoted lines start with ">" and indented code with four spaces or a tab: neither matches.
    const match = COMMAND_LINE.exec(raw.trimEnd());
    if (match) commands.push(parseCommand(raw.trim(), match[1] ?? ""));
  }
  return commands;
}

function closesFence(line: string, fence: string): boolean {
  const closing = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return closing !== null && closing[1]?.[0] === fence[0] && (closing[1]?.length ?? 0) >= fence.length;
}

function parseCommand(line: string, rest: string): ShipshapeCommand {
  const [word, ...args] = rest.split(/\s+/).filter((part) => part !== "").map(unquote);
  if (word === undefined) return { line, name: "help" };
  const name = word.toLowerCase();
  if (!isCommandName(name)) return { line, name: "unknown", word };
  const invalid = (problem: UsageProblem): ShipshapeCommand => ({ line, name: "invalid", command: name, problem });
  const rules = args.map((arg) => arg.toLowerCase());
  switch (name) {
    case "help":
      return { line, name };
    case "scan":
    case "rebase":
      return args.length === 0 ? { line, name } : invalid("arguments-not-taken");
    case "fix":
      return { line, name, rules: [...new Set(rules)] };
    case "ignore": {
      const [rule, path] = args;
      if (rule === undefined) return invalid("rule-missing");
      if (args.length > 2) return invalid("too-many-arguments");
      return path === undefined ? { line, name, rule: rule.toLowerCase() } : { line, name, rule: rule.toLowerCase(), path };
    }
    case "unignore":
    case "explain": {
      const [rule] = rules;
      if (rule === undefined) return invalid("rule-missing");
      if (rules.length > 1) return invalid("too-many-arguments");
      return { line, name, rule };
    }
  }
}

function isCommandName(word: string): word is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(word);
}

/** `rule`, "rule" and 'rule' are the rule: people quote ids as they see them written. */
function unquote(word: string): string {
  const quoted = /^(`+|"|')(.+)\1$/.exec(word);
  return quoted ? (quoted[2] as string) : word;
}
