/**
 * Settles like `work`, unless `ms` pass first: then like `onTimeout()` (its value, or what it
 * throws). The timer never outlives the race, so it never keeps the process alive.
 */
export async function withTimeout<T, U>(work: Promise<T>, ms: number, onTimeout: () => U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<U>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** For `withTimeout`: give up with an error saying how long we waited. */
export function noAnswerWithin(ms: number): () => never {
  return () => {
    throw new Error(`no answer within ${ms} ms`);
  };
}
