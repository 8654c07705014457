import { readFile } from 'node:fs/promises';

/** Resident memory of another process, from `/proc/<pid>/status` (Linux). */
export interface RssReading {
  rssMb: number;
  /** VmHWM: the process's own peak resident set since it started. */
  hwmMb: number;
}

export async function readRss(pid: number): Promise<RssReading | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; keeps the largest reading. */
export function sampleRss(pid: number, everyMs = 100) {
  let peakMb = 0;
  let samples = 0;
  const timer = setInterval(() => {
    void readRss(pid).then((reading) => {
      if (!reading) return;
      samples += 1;
      peakMb = Math.max(peakMb, reading.rssMb);
    });
  }, everyMs);
  // Never the reason the bench process stays alive, whatever happens to its caller.
  timer.unref();
  return {
    async stop(): Promise<{ peakMb: number; samples: number; hwmMb: number | null }> {
      clearInterval(timer);
      const last = await readRss(pid);
      if (last) peakMb = Math.max(peakMb, last.rssMb);
      return { peakMb, samples, hwmMb: last?.hwmMb ?? null };
    },
  };
}
