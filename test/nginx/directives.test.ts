import { describe, expect, it } from "vitest";
import { nginxDirectives } from "../../src/nginx/directives.js";
import { hasCommentAmongArguments, weakProtocolsIn, weakSslProtocols } from "../../src/nginx/ssl-protocols.js";

/** name, args as nginx reads them, terminator, context, key: what the reader gives, without offsets. */
const shape = (text: string) =>
  nginxDirectives(text).map((directive) => [directive.name, directive.args.map((arg) => arg.value), directive.terminator?.char, directive.context.join(" > "), directive.key]);

describe("nginxDirectives", () => {
  it("reads simple and block directives with their blocks and place keys", () => {
    const text = `user nginx;
events { worker_connections 1024; }
http {
  server {
    listen 443 ssl;
    ssl_protocols TLSv1.2;
  }
  server {
    ssl_protocols TLSv1 TLSv1.1;
  }
}
`;
    expect(shape(text)).toEqual([
      ["user", ["nginx"], ";", "", "user[0]"],
      ["events", [], "{", "", "events[0]"],
      ["worker_connections", ["1024"], ";", "events", "events[0]/worker_connections[0]"],
      ["http", [], "{", "", "http[0]"],
      ["server", [], "{", "http", "http[0]/server[0]"],
      ["listen", ["443", "ssl"], ";", "http > server", "http[0]/server[0]/listen[0]"],
      ["ssl_protocols", ["TLSv1.2"], ";", "http > server", "http[0]/server[0]/ssl_protocols[0]"],
      ["server", [], "{", "http", "http[0]/server[1]"],
      ["ssl_protocols", ["TLSv1", "TLSv1.1"], ";", "http > server", "http[0]/server[1]/ssl_protocols[0]"],
    ]);
  });

  it("skips comments, but not a # inside a word or a quoted string", () => {
    const text = `# ssl_protocols SSLv3;
  #ssl_protocols TLSv1;
ssl_ciphers HIGH#x "a # b" 'c;d'; # trailing ssl_protocols TLSv1;
`;
    expect(shape(text)).toEqual([["ssl_ciphers", ["HIGH#x", "a # b", "c;d"], ";", "", "ssl_ciphers[0]"]]);
  });

  it("reads a directive split over lines, with a comment between its arguments", () => {
    const text = "ssl_protocols TLSv1   # old clients\n    TLSv1.2\n    TLSv1.3\n  ;\n";
    const [directive] = nginxDirectives(text);
    expect(directive?.args.map((arg) => [arg.value, arg.offset, arg.end])).toEqual([
      ["TLSv1", 14, 19],
      ["TLSv1.2", 40, 47],
      ["TLSv1.3", 52, 59],
    ]);
    expect(directive?.terminator).toEqual({ char: ";", offset: 62 });
    expect(directive?.comments).toEqual([[22, 35]]);
    expect(directive && hasCommentAmongArguments(directive)).toBe(true);
  });

  it("decodes escapes in quoted and plain words and keeps ${variables} in words", () => {
    const text = `set $a "x\\"y\\n";
ssl_protocols \${SSL_PROTOCOLS};
return 200 'it\\'s'\\;;
`;
    expect(shape(text)).toEqual([
      ["set", ["$a", 'x"y\n'], ";", "", "set[0]"],
      ["ssl_protocols", ["${SSL_PROTOCOLS}"], ";", "", "ssl_protocols[0]"],
      ["return", ["200", "it's", "\\;"], ";", "", "return[0]"],
    ]);
  });

  it("reads broken text as far as it goes and never throws", () => {
    expect(shape('}} ssl_protocols "TLSv1')).toEqual([["ssl_protocols", ["TLSv1"], undefined, "", "ssl_protocols[0]"]]);
    expect(shape("server { listen 80 }\nssl_protocols TLSv1;")).toEqual([
      ["server", [], "{", "", "server[0]"],
      ["ssl_protocols", ["TLSv1"], ";", "", "ssl_protocols[0]"],
    ]);
    expect(shape("{ ; ; }")).toEqual([]);
    expect(shape("")).toEqual([]);
    expect(() => nginxDirectives("\u0000\u0001{{{\"'\\")).not.toThrow();
  });
});

describe("weakSslProtocols", () => {
  it("reports complete ssl_protocols directives with weak versions, in any block, without case", () => {
    const text = `ssl_protocols sslv3 TLSv1.2;
http { server { location / { ssl_protocols TLSv1.2 TLSv1.3; } } }
stream { server { ssl_protocols TLSv1.1 TLSv1.2; } }
ssl_protocols SSLv2 TLSv1
`;
    expect(weakSslProtocols(text).map(({ directive, weak }) => [directive.key, weak])).toEqual([
      ["ssl_protocols[0]", ["SSLv3"]],
      ["stream[0]/server[0]/ssl_protocols[0]", ["TLSv1.1"]],
    ]);
  });

  it("names weak versions in a fixed order, whatever the order written", () => {
    expect(weakProtocolsIn(["TLSv1.1", "TLSv1.3", "SSLv3", "TLSv1", "SSLv2"])).toEqual(["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"]);
    expect(weakProtocolsIn(["TLSv1.2", "TLSv1.3", "TLSv1.10", "$x"])).toEqual([]);
  });
});
