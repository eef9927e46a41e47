import { describeCertificate } from "../certs/describe.js";
import { findCertificates } from "../certs/find-certificates.js";
import type { FoundPrivateKey } from "../certs/types.js";
import { certificateHit } from "./certificate-hit.js";
import { NO_PARAMS, type WorkspaceCheck } from "./types.js";

/** Objects whose contents are encrypted, or fetched from a secret store, before they reach the cluster. */
const ENCRYPTED_KINDS: ReadonlySet<string> = new Set(["SealedSecret", "ExternalSecret", "ClusterExternalSecret", "PushSecret"]);

/**
 * Unencrypted private keys in the repository: in a key file, a Secret's
 * `data` (base64 is an encoding, not encryption) or `stringData`, a
 * ConfigMap, Helm values. Keys under a passphrase, and sealed or external
 * secrets, are not reported.
 */
export const privateKeyCommitted: WorkspaceCheck = {
  name: "private-key-committed",
  scope: "workspace",
  paramsSchema: NO_PARAMS,
  run(workspace) {
    const { privateKeys, certificates } = findCertificates(workspace);
    return privateKeys.flatMap((key) => {
      if (key.facts.encrypted || (key.place.resource && ENCRYPTED_KINDS.has(key.place.resource.kind))) return [];
      const algorithm = key.facts.algorithm === "unknown" ? "" : ` ${key.facts.algorithm}`;
      const owner = key.facts.spkiPin === undefined ? undefined : certificates.find((certificate) => certificate.facts.spkiPin === key.facts.spkiPin);
      const message = `unencrypted${algorithm} private key committed${encodingNote(key)}: anyone who can read the repository, or its history, can use it${
        owner ? `; it is the key of ${describeCertificate(owner)}` : ""
      }`;
      return [certificateHit(key.place, message, `private key ${key.facts.spkiPin ?? key.facts.algorithm}`)];
    });
  },
};

function encodingNote({ place }: FoundPrivateKey): string {
  if (place.resource?.kind === "Secret" && place.where.startsWith("data.")) return ` in ${place.where} (base64 is an encoding, not encryption)`;
  return place.where === "" ? "" : ` in ${place.where}`;
}
