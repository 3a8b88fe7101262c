// Whether a process of this host still runs: how the store's owner lock, budget reservations and
// execution claims tell a holder that died (kill -9) from one that is busy.

/** true when the process exists; EPERM (another user's process) counts as alive */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
