export function isLoopbackHost(host: string | undefined | null): boolean;
export function takeViolations(): string[];
export function onViolation(fn: (message: string) => void): void;
export function installNetworkGuard(): void;
