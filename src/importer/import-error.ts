/** Why a document could not be imported. Stable keys: the CLI and HTTP layers map them to exit codes / statuses. */
export type ImportErrorReason =
  'empty' | 'too-large' | 'unsupported-type' | 'binary' | 'no-text-layer' | 'unreadable' | 'not-a-plan';

/** An import failure with a sentence in Vietnamese an officer can act on. */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    readonly reason: ImportErrorReason,
    message: string,
    /** The input at fault, e.g. the file name. */
    readonly field: string = 'file',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
