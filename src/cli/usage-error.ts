/** A mistake in how Shipshape was called (exit code 2), as opposed to findings (exit code 1). */
export class UsageError extends Error {}
