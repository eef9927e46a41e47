import { nginxDirectives, type NginxDirective } from "./directives.js";

/** Protocol versions with known attacks (POODLE, BEAST) and no modern cipher suites; deprecated by RFC 8996. */
export const WEAK_PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"];

/** The weak versions among `words`, in WEAK_PROTOCOLS order; nginx compares protocol names without case. */
export function weakProtocolsIn(words: readonly string[]): string[] {
  return WEAK_PROTOCOLS.filter((protocol) => words.some((word) => word.toLowerCase() === protocol.toLowerCase()));
}

/** An `ssl_protocols` directive that allows a weak version. */
export interface WeakSslProtocols {
  directive: NginxDirective;
  weak: string[];
}

/** Every complete `ssl_protocols …;` directive of an nginx configuration that allows a weak version, in any block. */
export function weakSslProtocols(text: string): WeakSslProtocols[] {
  // Cheap test first: most ConfigMap values and .conf files have no such directive.
  if (!text.includes("ssl_protocols")) return [];
  return nginxDirectives(text).flatMap((directive) => {
    if (directive.name !== "ssl_protocols" || directive.terminator?.char !== ";") return [];
    const weak = weakProtocolsIn(directive.args.map((arg) => arg.value));
    return weak.length > 0 ? [{ directive, weak }] : [];
  });
}

/** Whether a comment is written between a directive's first and last argument (rewriting them would drop it). */
export function hasCommentAmongArguments(directive: NginxDirective): boolean {
  const first = directive.args[0];
  const last = directive.args[directive.args.length - 1];
  return first !== undefined && last !== undefined && directive.comments.some(([start]) => start > first.offset && start < last.end);
}
