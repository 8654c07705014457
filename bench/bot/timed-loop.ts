import { quantile } from '../notify/offered-load';

/** What one in-process loop did: how many operations in how long, and how long each took. */
export interface LoopFigures {
  operations: number;
  seconds: number;
  perSecond: number;
  /** Mean time of one operation, µs. */
  meanUs: number;
  /** p99 over batches of the mean time of one operation in the batch, µs. */
  p99Us: number;
}

/** Operations timed together: `performance.now()` per single call would weigh on a call of a few µs. */
export const batchSize = 32;

/** A loop under measurement; `sink` keeps its results alive so the JIT cannot drop the work. */
export interface Workload {
  name: string;
  /** The i-th operation; returns a number folded into a sink (awaited when it is a promise). */
  run(index: number): number | Promise<number>;
}

/** Accumulated batches of one workload, over several rounds. */
export class LoopRecorder {
  private operations = 0;
  private elapsedMs = 0;
  private readonly batchUs: number[] = [];
  sink = 0;

  constructor(readonly workload: Workload) {}

  /** Runs whole batches for about `ms` milliseconds, starting at operation `from`; returns the next index. */
  async runFor(ms: number, from: number): Promise<number> {
    let index = from;
    const until = performance.now() + ms;
    for (let now = performance.now(); now < until; ) {
      const started = now;
      for (let i = 0; i < batchSize; i += 1) {
        const result = this.workload.run(index++);
        this.sink += typeof result === 'number' ? result : await result;
      }
      now = performance.now();
      this.batchUs.push(((now - started) * 1000) / batchSize);
      this.elapsedMs += now - started;
    }
    this.operations += index - from;
    return index;
  }

  figures(): LoopFigures {
    const seconds = this.elapsedMs / 1000;
    return {
      operations: this.operations,
      seconds,
      perSecond: this.operations / seconds,
      meanUs: (this.elapsedMs * 1000) / this.operations,
      p99Us: quantile(this.batchUs, 0.99),
    };
  }
}

/**
 * Measures `workloads` in one-second rounds, each round running every workload once in the same
 * order, so slow drifts of the machine (neighbours, CPU boost) hit all of them alike. A discarded
 * warm-up round first (JIT, stem caches).
 */
export async function measureWorkloads(
  workloads: readonly Workload[],
  seconds: number,
  note: (line: string) => void,
): Promise<Map<string, LoopFigures>> {
  const next = new Map<string, number>();
  for (const workload of workloads) next.set(workload.name, await new LoopRecorder(workload).runFor(1000, 0));
  const recorders = workloads.map((workload) => new LoopRecorder(workload));
  for (let round = 0; round < seconds; round += 1) {
    for (const recorder of recorders) {
      const name = recorder.workload.name;
      next.set(name, await recorder.runFor(1000, next.get(name) ?? 0));
    }
  }
  const figures = new Map<string, LoopFigures>();
  for (const recorder of recorders) {
    const f = recorder.figures();
    note(
      `  ${recorder.workload.name}: ${Math.round(f.perSecond)}/s, mean ${f.meanUs.toFixed(1)} µs, p99 ${f.p99Us.toFixed(1)} µs (sink ${recorder.sink})`,
    );
    figures.set(recorder.workload.name, f);
  }
  return figures;
}
