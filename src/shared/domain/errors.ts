/**
 * Base class for every expected failure of the domain. Each error carries a stable `code`;
 * src/shared/application/error-mapping.ts is the single place that turns codes into HTTP statuses
 * and localised pages, so use cases never know about HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
