import { describe, expect, it } from "vitest";
import { activeRules } from "../../../src/config/resolve.js";
import { DEFAULT_LIMITS } from "../../../src/config/types.js";
import { loadRules } from "../../../src/rules/load.js";
import { scanFiles } from "../../../src/scan/scan.js";
import { loadWorkspaceFromFiles } from "../../../src/workspace/load.js";
import { scanAndFix } from "../scan-and-fix.js";

const RULES = activeRules(loadRules(), {}, ["tls-protocol-weak"]);
const ATTACKS = "clients can be made to use a protocol version with known attacks";
const inFile = (weak: string) => `ssl_protocols allows ${weak}: ${ATTACKS}`;
const inConfigMap = (key: string, name: string, weak: string) => `ssl_protocols in "${key}" of ConfigMap "${name}" allows ${weak}: ${ATTACKS}`;
const EXPLAIN_FILE = (file: string) => `Sets ssl_protocols to "TLSv1.2 TLSv1.3" in ${file}, so that nginx accepts TLS 1.2 and 1.3 only.`;
const EXPLAIN_CONFIG_MAP = (key: string, name: string) =>
  `Sets ssl_protocols to "TLSv1.2 TLSv1.3" in the nginx configuration "${key}" of the ConfigMap "${name}", so that nginx accepts TLS 1.2 and 1.3 only.`;
const RISK = "Very old clients (Android 4.3 and older, Internet Explorer 10 and older, Java 6, old embedded devices) that speak only TLS 1.0 or 1.1 cannot connect over HTTPS any more.";

/** Scans and fixes; returns what people see (file, line, column, message, fixable, reason), the fixed files, and the findings of a rescan of the result. */
function run(files: Record<string, string>) {
  const { scanned, changeset, after } = scanAndFix(files, RULES);
  const rescanned = scanAndFix({ ...files, ...after }, RULES).scanned.findings;
  return {
    seen: scanned.findings.map((finding) => [finding.file, finding.line, finding.column, finding.message, finding.fixable, finding.notFixableReason]),
    findings: scanned.findings,
    roles: Object.fromEntries(scanned.workspace.files.map((file) => [file.path, file.role])),
    after,
    applied: changeset.applied.map((fix) => [fix.file, fix.explanation, fix.risk, fix.risky]),
    skipped: changeset.skipped.map((skip) => [skip.file, skip.reason]),
    rescan: rescanned.map((finding) => [finding.file, finding.line, finding.column, finding.message, finding.fixable, finding.notFixableReason]),
  };
}

const EDGE = `# edge proxy
user nginx;

http {
    ssl_protocols TLSv1.2 TLSv1.3;   # the default for every server

    server {
        listen 443 ssl;
        server_name legacy.example.com;
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;  # old handhelds
        ssl_ciphers "HIGH:!aNULL";
    }

    server {
        listen 443 ssl;
        server_name shop.example.com;
        # ssl_protocols SSLv3 TLSv1;
        ssl_protocols TLSv1.2
                      TLSv1.3;
    }
}
`;

const SITE = `server {
\tlisten 443 ssl http2;
\tssl_protocols
\t\tSSLv3
\t\tTLSv1
\t\tTLSv1.2
\t;
}
`;

describe("tls-protocol-weak in nginx configuration files", () => {
  it("reports the weak directive of one server block of two, and rewrites only its protocols", () => {
    const result = run({ "nginx/nginx.conf": EDGE });
    expect(result.seen).toEqual([["nginx/nginx.conf", 10, 9, inFile("TLSv1 and TLSv1.1"), true, undefined]]);
    expect(result.findings[0]?.resource).toBeUndefined();
    expect(result.after).toEqual({ "nginx/nginx.conf": EDGE.replace("ssl_protocols TLSv1 TLSv1.1 TLSv1.2;  # old handhelds", "ssl_protocols TLSv1.2 TLSv1.3;  # old handhelds") });
    expect(result.applied).toEqual([["nginx/nginx.conf", EXPLAIN_FILE("nginx/nginx.conf"), RISK, true]]);
    expect(result.skipped).toEqual([]);
    expect(result.rescan).toEqual([]);
  });

  it("rewrites a directive split over lines from its first argument to its last, keeping the name's line and the `;`", () => {
    const result = run({ "sites-available/app.conf": SITE, "CRLF/nginx.conf": "events {}\r\nhttp {\r\n  ssl_protocols TLSv1.1 TLSv1.2;\r\n}\r\n" });
    expect(result.seen).toEqual([
      ["CRLF/nginx.conf", 3, 3, inFile("TLSv1.1"), true, undefined],
      ["sites-available/app.conf", 3, 2, inFile("SSLv3 and TLSv1"), true, undefined],
    ]);
    expect(result.after).toEqual({
      "CRLF/nginx.conf": "events {}\r\nhttp {\r\n  ssl_protocols TLSv1.2 TLSv1.3;\r\n}\r\n",
      "sites-available/app.conf": "server {\n\tlisten 443 ssl http2;\n\tssl_protocols\n\t\tTLSv1.2 TLSv1.3\n\t;\n}\n",
    });
    expect(result.rescan).toEqual([]);
  });

  it("reads included snippets and nginx image templates, and every weak directive of a file", () => {
    const snippet = "# included by every server\nssl_protocols SSLv2 SSLv3 TLSv1 TLSv1.1 TLSv1.2; ssl_prefer_server_ciphers on;\nssl_protocols TLSv1.1;\n";
    const template = "server {\n  listen ${PORT} ssl;\n  ssl_protocols ${SSL_PROTOCOLS};\n}\nserver {\n  ssl_protocols 'TLSv1' \"TLSv1.2\";\n}\n";
    const result = run({ "conf.d/ssl-params.conf": snippet, "templates/default.conf.template": template });
    expect(result.roles).toEqual({ "conf.d/ssl-params.conf": "nginx-config", "templates/default.conf.template": "nginx-config" });
    expect(result.seen).toEqual([
      ["conf.d/ssl-params.conf", 2, 1, inFile("SSLv2, SSLv3, TLSv1 and TLSv1.1"), true, undefined],
      ["conf.d/ssl-params.conf", 3, 1, inFile("TLSv1.1"), true, undefined],
      ["templates/default.conf.template", 6, 3, inFile("TLSv1"), true, undefined],
    ]);
    expect(new Set(result.findings.map((finding) => finding.fingerprint)).size).toBe(3);
    expect(result.after).toEqual({
      "conf.d/ssl-params.conf": "# included by every server\nssl_protocols TLSv1.2 TLSv1.3; ssl_prefer_server_ciphers on;\nssl_protocols TLSv1.2 TLSv1.3;\n",
      "templates/default.conf.template": "server {\n  listen ${PORT} ssl;\n  ssl_protocols ${SSL_PROTOCOLS};\n}\nserver {\n  ssl_protocols TLSv1.2 TLSv1.3;\n}\n",
    });
    expect(result.applied.map(([file]) => file)).toEqual(["conf.d/ssl-params.conf", "conf.d/ssl-params.conf", "templates/default.conf.template"]);
    expect(result.rescan).toEqual([]);
  });

  it("does not count commented-out directives, fine ones, or a directive the file ends inside", () => {
    const text = "http {\n  # ssl_protocols TLSv1 TLSv1.1;\n  #ssl_protocols SSLv3;\n  ssl_protocols TLSv1.2 TLSv1.3; # not TLSv1\n  server { ssl_protocols TLSv1.3; }\n}\nssl_protocols TLSv1\n";
    expect(run({ "nginx.conf": text }).seen).toEqual([]);
  });

  it("says why a directive with a comment between its arguments is not fixed", () => {
    const text = "server {\n  ssl_protocols TLSv1   # for the scanners\n                TLSv1.2;\n}\n";
    const result = run({ "nginx/default.conf": text });
    const reason = "a comment is written between the arguments of ssl_protocols; rewriting them would drop it";
    expect(result.seen).toEqual([["nginx/default.conf", 2, 3, inFile("TLSv1"), false, reason]]);
    expect(result.after).toEqual({});
    expect(result.skipped).toEqual([["nginx/default.conf", reason]]);
  });

  it("does not read other .conf files as nginx", () => {
    const files = {
      "redis/redis.conf": 'bind 127.0.0.1\nport 6379\ntls-protocols "TLSv1 TLSv1.1"\n# ssl_protocols TLSv1;\n',
      "supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:nginx]\ncommand=nginx -g 'daemon off;'\n",
      "conf.d/supervisord.conf": "[program:php-fpm]\ncommand=php-fpm\n",
      "sites-available/apache.conf": "<VirtualHost *:443>\n  SSLProtocol all -SSLv3\n</VirtualHost>\n",
      "etc/named.conf": 'server 10.0.0.1 {\n  keys { "transfer"; };\n};\n',
    };
    const result = run(files);
    expect(result.seen).toEqual([]);
    expect(result.roles).toEqual(Object.fromEntries(Object.keys(files).map((path) => [path, "other"])));
  });

  it("does not stop on a binary or huge .conf file", () => {
    const binary = Buffer.from([0x73, 0x73, 0x6c, 0x00, 0xff, 0x7b, 0x3b]);
    const huge = `server {\n${"  # padding\n".repeat(20)}  ssl_protocols TLSv1;\n}\n`;
    const files = [
      { path: "blob.conf", bytes: binary },
      { path: "nginx/blob.conf", bytes: binary },
      { path: "big.conf", bytes: Buffer.from(huge) },
      { path: "nginx/big.conf", bytes: Buffer.from(huge) },
      { path: "edge/nginx.conf", bytes: Buffer.from("http { server { ssl_protocols TLSv1.1 TLSv1.2; } }\n") },
    ];
    const workspace = loadWorkspaceFromFiles(files, { maxFileBytes: 200, ignorePaths: [] });
    expect(workspace.map((file) => [file.path, file.role, file.unreadable])).toEqual([
      ["big.conf", "other", undefined],
      ["blob.conf", "other", undefined],
      ["edge/nginx.conf", "nginx-config", undefined],
      ["nginx/big.conf", "nginx-config", "file is 274 B, over the 200 B limit (limits.maxFileBytes); it was not scanned"],
      ["nginx/blob.conf", "nginx-config", "file holds binary data (a NUL byte), not text; it was not scanned"],
    ]);
    const rules = activeRules(loadRules(), {}, ["tls-protocol-weak", "parse-error"]);
    const scanned = scanFiles(workspace, { rules, limits: { ...DEFAULT_LIMITS, maxFileBytes: 200 } });
    expect(scanned.findings.map((finding) => [finding.rule, finding.file, finding.line, finding.column])).toEqual([
      ["tls-protocol-weak", "edge/nginx.conf", 1, 17],
      ["parse-error", "nginx/big.conf", 1, 1],
      ["parse-error", "nginx/blob.conf", 1, 1],
    ]);
  });
});

const configMap = (name: string, data: string, annotations = "") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${annotations}data:
${data}`;

describe("tls-protocol-weak in nginx configuration held by a ConfigMap", () => {
  it("rewrites the directive inside a literal block, byte for byte", () => {
    const literal = configMap(
      "web-nginx",
      `  # served by the web Deployment
  nginx.conf: |
    server {
        listen 443 ssl;   # TLS
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;

        location / { proxy_pass http://web:8080; }
    }
  mime.types: "text/html html;"
`,
    );
    const strip = configMap("edge", "  default.conf: |-\r\n    server {\r\n      ssl_protocols  SSLv3 TLSv1.2 ;\r\n    }\r\n  other: x\r\n").replace(/(?<!\r)\n/g, "\r\n");
    const keep = configMap("keep", "  a.conf: |+\n\n    ssl_protocols TLSv1.1;\n\n\n  b.conf: |2\n       ssl_protocols TLSv1;\n");
    const result = run({ "k8s/web.yaml": literal, "k8s/edge.yaml": strip, "k8s/keep.yaml": keep });
    expect(result.seen).toEqual([
      ["k8s/edge.yaml", 8, 7, inConfigMap("default.conf", "edge", "SSLv3"), true, undefined],
      ["k8s/keep.yaml", 8, 5, inConfigMap("a.conf", "keep", "TLSv1.1"), true, undefined],
      ["k8s/keep.yaml", 12, 8, inConfigMap("b.conf", "keep", "TLSv1"), true, undefined],
      ["k8s/web.yaml", 10, 9, inConfigMap("nginx.conf", "web-nginx", "TLSv1 and TLSv1.1"), true, undefined],
    ]);
    expect(result.findings.map((finding) => finding.resource?.name)).toEqual(["edge", "keep", "keep", "web-nginx"]);
    expect(result.after).toEqual({
      "k8s/web.yaml": literal.replace("ssl_protocols TLSv1 TLSv1.1 TLSv1.2;", "ssl_protocols TLSv1.2 TLSv1.3;"),
      "k8s/edge.yaml": strip.replace("ssl_protocols  SSLv3 TLSv1.2 ;", "ssl_protocols  TLSv1.2 TLSv1.3 ;"),
      "k8s/keep.yaml": keep.replace("ssl_protocols TLSv1.1;", "ssl_protocols TLSv1.2 TLSv1.3;").replace("ssl_protocols TLSv1;", "ssl_protocols TLSv1.2 TLSv1.3;"),
    });
    expect(result.applied).toEqual([
      ["k8s/edge.yaml", EXPLAIN_CONFIG_MAP("default.conf", "edge"), RISK, true],
      ["k8s/keep.yaml", EXPLAIN_CONFIG_MAP("a.conf", "keep"), RISK, true],
      ["k8s/keep.yaml", EXPLAIN_CONFIG_MAP("b.conf", "keep"), RISK, true],
      ["k8s/web.yaml", EXPLAIN_CONFIG_MAP("nginx.conf", "web-nginx"), RISK, true],
    ]);
    expect(result.rescan).toEqual([]);
  });

  it("reads ingress-nginx snippets too, beside the controller's own ssl-protocols key", () => {
    const text = configMap("ingress-nginx-controller", '  ssl-protocols: "TLSv1.1 TLSv1.2"\n  server-snippet: |\n    ssl_protocols TLSv1 TLSv1.2;\n');
    const result = run({ "ingress.yaml": text });
    expect(result.seen).toEqual([
      ["ingress.yaml", 6, 19, 'ingress-nginx ConfigMap "ingress-nginx-controller" allows TLSv1.1 in ssl-protocols: clients can be made to use a protocol version with known attacks', true, undefined],
      ["ingress.yaml", 8, 5, inConfigMap("server-snippet", "ingress-nginx-controller", "TLSv1"), true, undefined],
    ]);
    expect(result.after).toEqual({
      "ingress.yaml": configMap("ingress-nginx-controller", '  ssl-protocols: "TLSv1.2 TLSv1.3"\n  server-snippet: |\n    ssl_protocols TLSv1.2 TLSv1.3;\n'),
    });
    expect(result.applied.map(([, explanation]) => explanation)).toEqual([
      'Sets ssl-protocols in the ConfigMap "ingress-nginx-controller" to "TLSv1.2 TLSv1.3", so that ingress-nginx accepts TLS 1.2 and 1.3 only.',
      EXPLAIN_CONFIG_MAP("server-snippet", "ingress-nginx-controller"),
    ]);
    expect(result.rescan).toEqual([]);
  });

  it("reports folded, quoted and multi-line values without fixing them, and says why", () => {
    const text = configMap(
      "legacy",
      `  folded.conf: >
    server { ssl_protocols SSLv3 TLSv1.2; }
  quoted.conf: "server {\\n  ssl_protocols TLSv1 TLSv1.2;\\n}\\n"
  single.conf: 'ssl_protocols TLSv1.1;'
  plain.conf: ssl_protocols TLSv1.1;
  split.conf: |
    ssl_protocols TLSv1
                  TLSv1.2;
`,
    );
    const result = run({ "legacy.yaml": text });
    const style = (key: string, written: string) =>
      `the nginx configuration in "${key}" is ${written}, which does not hold its text line for line; Shipshape edits nginx configuration in a ConfigMap only in a literal block scalar (|)`;
    const lines = 'the arguments of ssl_protocols in "split.conf" span several lines of the YAML block; Shipshape rewrites them in a ConfigMap only when they are on one line';
    expect(result.seen).toEqual([
      ["legacy.yaml", 7, 5, inConfigMap("folded.conf", "legacy", "SSLv3"), false, style("folded.conf", "a folded block scalar (>)")],
      ["legacy.yaml", 8, 17, inConfigMap("quoted.conf", "legacy", "TLSv1"), false, style("quoted.conf", "a double-quoted string")],
      ["legacy.yaml", 9, 17, inConfigMap("single.conf", "legacy", "TLSv1.1"), false, style("single.conf", "a single-quoted string")],
      ["legacy.yaml", 10, 15, inConfigMap("plain.conf", "legacy", "TLSv1.1"), false, style("plain.conf", "a plain scalar")],
      ["legacy.yaml", 12, 5, inConfigMap("split.conf", "legacy", "TLSv1"), false, lines],
    ]);
    expect(result.after).toEqual({});
    expect(result.skipped.map(([, reason]) => reason)).toEqual([
      style("folded.conf", "a folded block scalar (>)"),
      style("quoted.conf", "a double-quoted string"),
      style("single.conf", "a single-quoted string"),
      style("plain.conf", "a plain scalar"),
      lines,
    ]);
  });

  it("honours the ignore annotation, and leaves other objects and fine values alone", () => {
    const ignored = configMap("old-clients", "  nginx.conf: |\n    ssl_protocols TLSv1 TLSv1.2;\n", "  annotations:\n    shipshape.dev/ignore: tls-protocol-weak\n");
    const fine = configMap("fine", "  nginx.conf: |\n    # ssl_protocols TLSv1;\n    ssl_protocols TLSv1.2 TLSv1.3;\n  note: ssl_protocols TLSv1 is what we had\n");
    const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  nginx.conf: |\n    ssl_protocols TLSv1;\n";
    expect(run({ "a.yaml": ignored, "b.yaml": fine, "c.yaml": secret }).seen).toEqual([]);
  });
});
