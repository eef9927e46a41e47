import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Test certificates made by the openssl command line with fixed validity
 * windows (`openssl ca -startdate/-enddate`, which OpenSSL 3.0 has): the keys
 * differ on every run, the dates never do. A missing openssl fails loudly.
 */

export interface IssuedCertificate {
  /** The certificate, PEM. */
  pem: string;
  /** Its unencrypted PKCS#8 key, PEM. */
  keyPem: string;
  /** The certificate, DER. */
  der: Buffer;
  /** `sha256/<base64>` of its SubjectPublicKeyInfo, as the openssl pipeline in the rule's remediation computes it. */
  spkiPin: string;
  /** `AB:CD:…`, as openssl x509 -fingerprint -sha256 prints it. */
  fingerprint256: string;
}

export interface IssueRequest {
  /** Subject, as `/CN=…` or `/O=…/CN=…`. */
  subject: string;
  /** `DNS:a.example,IP:10.0.0.1` */
  sans?: string;
  /** `2025-12-01` or `2025-12-01T12:00:00`, UTC. */
  notBefore: string;
  notAfter: string;
  ca?: boolean;
  /** Signed by this certificate; self-signed when absent. */
  signer?: IssuedCertificate;
}

const CONFIG = `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
preserve = yes
[ policy_any ]
organizationName = optional
commonName = optional
[ req ]
distinguished_name = dn
[ dn ]
`;

export class TestCa {
  private readonly dir = mkdtempSync(join(tmpdir(), "shipshape-openssl-"));
  private readonly names = new Map<IssuedCertificate, string>();
  private count = 0;

  constructor() {
    mkdirSync(join(this.dir, "newcerts"));
    writeFileSync(join(this.dir, "index.txt"), "");
    writeFileSync(join(this.dir, "serial"), "1000\n");
    writeFileSync(join(this.dir, "ca.cnf"), CONFIG);
  }

  issue(request: IssueRequest): IssuedCertificate {
    this.count += 1;
    const name = `cert${this.count}`;
    const file = (suffix: string) => join(this.dir, `${name}.${suffix}`);
    const extensions = request.ca
      ? "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
      : `basicConstraints=critical,CA:FALSE\n${request.sans ? `subjectAltName=${request.sans}\n` : ""}`;
    writeFileSync(file("ext"), `[ext]\n${extensions}`);
    this.openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file("key"), "-out", file("csr"), "-subj", request.subject, "-config", "ca.cnf");
    const signer = request.signer
      ? ["-cert", this.pathOf(request.signer, "pem"), "-keyfile", this.pathOf(request.signer, "key")]
      : ["-selfsign", "-keyfile", file("key")];
    this.openssl(
      "ca", "-batch", "-config", "ca.cnf", ...signer, "-in", file("csr"), "-out", file("pem"),
      "-startdate", asn1Time(request.notBefore), "-enddate", asn1Time(request.notAfter), "-extfile", file("ext"), "-extensions", "ext", "-notext",
    );
    this.openssl("x509", "-in", file("pem"), "-outform", "der", "-out", file("der"));
    const pem = readFileSync(file("pem"), "utf8");
    const fingerprint = this.openssl("x509", "-in", file("pem"), "-noout", "-fingerprint", "-sha256").trim();
    const issued = {
      pem,
      keyPem: readFileSync(file("key"), "utf8"),
      der: readFileSync(file("der")),
      spkiPin: this.spkiPinOf(name),
      fingerprint256: fingerprint.slice(fingerprint.indexOf("=") + 1),
    };
    this.names.set(issued, name);
    return issued;
  }

  /** The pipeline of rules/spki-pin-mismatch.yaml: public key, as DER, hashed with SHA-256, in base64. */
  private spkiPinOf(name: string): string {
    this.openssl("x509", "-in", `${name}.pem`, "-pubkey", "-noout", "-out", `${name}.pub`);
    this.openssl("pkey", "-pubin", "-in", `${name}.pub`, "-outform", "der", "-out", `${name}.pub.der`);
    this.openssl("dgst", "-sha256", "-binary", "-out", `${name}.pub.sha256`, `${name}.pub.der`);
    return `sha256/${readFileSync(join(this.dir, `${name}.pub.sha256`)).toString("base64")}`;
  }

  /** Runs openssl in the CA's folder and returns its standard output. */
  openssl(...args: string[]): string {
    return execFileSync("openssl", args, { cwd: this.dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Removes the CA's temporary folder. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pathOf(certificate: IssuedCertificate, suffix: string): string {
    const name = this.names.get(certificate);
    if (!name) throw new Error("not issued by this TestCa");
    return join(this.dir, `${name}.${suffix}`);
  }
}

/** `2025-12-01` → `20251201000000Z`, the form openssl ca wants. */
function asn1Time(date: string): string {
  const iso = new Date(date.includes("T") ? `${date}Z` : `${date}T00:00:00Z`).toISOString();
  return `${iso.slice(0, 19).replace(/[-:T]/g, "")}Z`;
}

/** base64 of a text, as a Secret's data holds it. */
export function base64(text: string | Buffer): string {
  return Buffer.from(text).toString("base64");
}

/** Indents every line of a text: a PEM block inside a YAML block scalar. */
export function indent(text: string, spaces: number): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `${" ".repeat(spaces)}${line}`)
    .join("\n");
}
