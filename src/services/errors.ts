/** Errors a service raises on purpose; the web layer turns each into the right page or problem+json. */
export class ForbiddenError extends Error {
  constructor(readonly permission: string) {
    super('You do not have permission to do this')
  }
}

export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`)
  }
}

/** Input that fails validation: field-level messages written for the person typing. */
export class ValidationError extends Error {
  constructor(readonly problems: readonly { field: string; message: string }[]) {
    super('There is a problem with the information given')
  }
}

/** Somebody else changed the record since it was read (optimistic locking). */
export class ConflictError extends Error {
  constructor(readonly what: string) {
    super(`${what} was changed by someone else`)
  }
}
