/** Bad input from a person or a file: names the field and says why, in Vietnamese. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ValidationError';
  }
}

/** Something a person asked for does not exist. */
export class NotFoundError extends Error {
  constructor(what: string, id: string | number) {
    super(`Không tìm thấy ${what} "${id}"`);
    this.name = 'NotFoundError';
  }
}

/** A state change that the publication's current state does not allow. */
export class StateError extends Error {
  override name = 'StateError';
}

/** The person is known but their role or unit does not allow this (HTTP 403). Another unit's things are NotFound instead. */
export class AccessError extends Error {
  override name = 'AccessError';
}
