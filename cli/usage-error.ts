/** Bad usage: a command, option or value the user can correct; both commands exit 2 for it. */
export class UsageError extends Error {}
