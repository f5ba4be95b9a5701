/**
 * What every importer returns: deck text plus what was left out, or one error and nothing else.
 */

/** A note, line or row that was not imported, and why. */
export interface Skipped {
  /** Where it was in the input: `note 12`, `line 5`, `row 3`. */
  readonly where: string;
  readonly reason: string;
}

export type ImportResult =
  | {
      readonly ok: true;
      /** The deck file's text, in the deck format. */
      readonly text: string;
      /** The deck name written on its `# deck:` line. */
      readonly name: string;
      /** Notes written. */
      readonly notes: number;
      readonly skipped: readonly Skipped[];
    }
  | { readonly ok: false; readonly error: string };

/** Bounds on what an import reads. Inputs beyond them are refused with a message, never read in full. */
export interface ImportLimits {
  /** Size of the uploaded file. */
  readonly maxInputBytes: number;
  /** Uncompressed size of the collection inside an `.apkg`. */
  readonly maxUncompressedBytes: number;
  /** Lines of a text file, rows of a spreadsheet, notes of a collection. */
  readonly maxLines: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxInputBytes: 50 * 1024 * 1024,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxLines: 20_000,
};

export interface ImportOptions {
  /** Deck name to use instead of the one found in the input. */
  readonly name?: string;
  /** Name to use when the input names no deck (e.g. from the file name). */
  readonly fallbackName?: string;
  /** Import front/back notes as `front: -back-` instead of skipping them. */
  readonly basic?: boolean;
  readonly limits?: Partial<ImportLimits>;
}

export function limitsOf(options: ImportOptions): ImportLimits {
  return { ...DEFAULT_LIMITS, ...options.limits };
}

export function failure(error: string): ImportResult {
  return { ok: false, error };
}
