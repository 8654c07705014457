import { noAnswerWithin, withTimeout } from '../../src/timeouts';

describe('withTimeout', () => {
  it('settles like the work when it is in time', async () => {
    await expect(withTimeout(Promise.resolve('done'), 1000, () => 'late')).resolves.toBe('done');
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, () => 'late')).rejects.toThrow('boom');
  });

  it('settles like onTimeout when the work is late', async () => {
    const never = new Promise<string>(() => {});
    await expect(withTimeout(never, 10, () => 'late')).resolves.toBe('late');
    await expect(withTimeout(never, 10, noAnswerWithin(10))).rejects.toThrow('no answer within 10 ms');
  });
});
