// How every command reports a mistake in how it was called: a UsageError, which its script prints
// after its name and exits 2 with; nothing has been done at that point.
export class UsageError extends Error {}

export function fail(message: string): never {
    throw new UsageError(message);
}
