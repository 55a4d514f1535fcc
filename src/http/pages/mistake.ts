import { AccessError, NotFoundError, ValidationError } from '../../domain/errors';
import { ImportError } from '../../importer';

/** A person's mistake becomes a sentence on the page; anything else is the server's problem (null). */
export function mistakeOf(error: unknown): string | null {
  if (
    error instanceof ValidationError ||
    error instanceof AccessError ||
    error instanceof NotFoundError ||
    error instanceof ImportError
  )
    return error.message;
  return null;
}
