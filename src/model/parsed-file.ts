import { LineIndex } from "../yaml/lines.js";
import type { YamlDocument } from "../yaml/compose.js";
import type { FileRole } from "../workspace/roles.js";

export interface FileProblem {
  offset: number;
  message: string;
}

/** A workspace file after parsing: its documents, and what went wrong reading it. */
export class ParsedFile {
  private lineIndex: LineIndex | undefined;

  constructor(
    readonly path: string,
    readonly role: FileRole,
    readonly text: string,
    readonly documents: readonly YamlDocument[],
    readonly problems: readonly FileProblem[],
    /** The bytes of a certificate or key file that is not text (DER). */
    readonly binary?: Buffer,
  ) {}

  /** Built on first use: most files of a clean repository never need one. */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }
}
