// Who holds a budget reservation, so that one left open by a process that died (kill -9 during a
// model call) is given back instead of blocking its budget until the period ends. A reservation id
// names its host, process and the real time it was made: a reservation of a dead process on this
// host is abandoned at once; one whose owner cannot be checked (another host) after an hour of
// real time. Real time, not ctx.clock: a simulated clock can run a day in seconds, and a process's
// liveness has nothing to do with simulated days.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isAlive } from '../process-alive.js';

/** a reservation older than this (real time) is abandoned whoever holds it: no model call lasts an hour */
export const RESERVATION_RELEASE_MS = 3_600_000;

const HOST = encodeURIComponent(hostname());
/** reservations this process holds (open) */
const held = new Set<string>();
const wallNow = () => performance.timeOrigin + performance.now();

export function newReservationId(): string {
  const id = `${HOST}/${process.pid}/${Math.round(wallNow())}/${randomUUID()}`;
  held.add(id);
  return id;
}

export function reservationSettled(id: string): void {
  held.delete(id);
}

/** true when the reservation's process is gone (or it is older than RESERVATION_RELEASE_MS) */
export function isAbandoned(id: string, now = wallNow()): boolean {
  const [host, pidText, madeText] = id.split('/');
  const pid = Number(pidText);
  const made = Number(madeText);
  if (!host || !Number.isInteger(pid) || pid <= 0 || !Number.isFinite(made)) return false; // not in this form: not ours to judge
  if (host === HOST) {
    // our own pid on a reservation this process does not hold: an earlier process with the same pid
    if (pid === process.pid ? !held.has(id) : !isAlive(pid)) return true;
  }
  return now - made > RESERVATION_RELEASE_MS;
}
