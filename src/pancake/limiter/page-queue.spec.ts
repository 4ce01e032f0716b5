import { PageQueue } from './page-queue.js';

/** A task that resolves when released, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PageQueue', () => {
  it('runs tasks of one key one at a time, in order; other keys in parallel', async () => {
    const queue = new PageQueue();
    const log: string[] = [];
    const [a1, a2, b1] = [gate(log, 'a1'), gate(log, 'a2'), gate(log, 'b1')];
    const results = [queue.run('a', a1.task), queue.run('a', a2.task), queue.run('b', b1.task)];
    expect(log).toEqual(['start a1', 'start b1']);
    expect(queue.length('a')).toBe(2);
    a2.release();
    await tick();
    expect(log).toEqual(['start a1', 'start b1']);
    a1.release();
    b1.release();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(queue.length('a')).toBe(0);
  });

  it('a queued task whose signal aborts leaves at once; the queue goes on', async () => {
    const queue = new PageQueue();
    const log: string[] = [];
    const [first, second, third] = [gate(log, '1'), gate(log, '2'), gate(log, '3')];
    const controller = new AbortController();
    const p1 = queue.run('k', first.task);
    const p2 = queue.run('k', second.task, controller.signal);
    const p3 = queue.run('k', third.task);
    controller.abort(new Error('gone'));
    await expect(p2).rejects.toThrow('gone');
    expect(queue.length('k')).toBe(2);
    first.release();
    third.release();
    expect(await Promise.all([p1, p3])).toEqual(['1', '3']);
    expect(log).not.toContain('start 2');
  });

  it('a failing task rejects its caller only', async () => {
    const queue = new PageQueue();
    const failing = queue.run('k', async () => {
      throw new Error('boom');
    });
    const next = queue.run('k', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });

  it('cancelAll rejects queued tasks', async () => {
    const queue = new PageQueue();
    const log: string[] = [];
    const first = gate(log, '1');
    const p1 = queue.run('k', first.task);
    const p2 = queue.run('k', async () => 'never');
    queue.cancelAll(new Error('closed'));
    await expect(p2).rejects.toThrow('closed');
    first.release();
    expect(await p1).toBe('1');
  });
});
