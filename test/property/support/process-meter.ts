import { readFileSync, writeFileSync } from 'node:fs';

/**
 * What one request cost the process that served it, read from /proc: the rise of its peak RSS over
 * its RSS before the request, and the CPU time (all its threads) it used meanwhile. CPU time, unlike
 * the time to answer, hardly grows when other work loads the machine.
 */
export interface RequestCost {
  riseMb: number;
  cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
}

/** Starts measuring `pid` (resets its peak RSS); the returned function reads what was used since. */
export function meterProcess(pid: number): () => RequestCost {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const rss = statusMb(pid, 'VmRSS');
  const ticks = cpuTicks(pid);
  return () => ({
    riseMb: statusMb(pid, 'VmHWM') - rss,
    cpuSeconds: (cpuTicks(pid) - ticks) / TICKS_PER_SECOND,
  });
}
