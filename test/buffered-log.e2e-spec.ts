import { spawn } from 'node:child_process';
import { once } from 'node:events';

const WRITER = 'test/support/log-writer.ts';

/** Runs the writer; resolves with its stdout once it has exited, or once a line came (wait mode). */
async function run(
  mode: 'exit' | 'throw' | 'wait',
): Promise<{ stdout: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, mode], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    // Told to exit only after its line was read: the line came by the timed flush, not at exit.
    if (mode === 'wait' && stdout.includes('\n')) child.stdin.end('done\n');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { stdout, code };
}

describe('buffered stdout for log lines', () => {
  it('writes a line logged right before process.exit', async () => {
    const { stdout, code } = await run('exit');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ msg: 'buffered line', mode: 'exit' });
  });

  it('writes a line logged right before an uncaught exception', async () => {
    const { stdout, code } = await run('throw');
    expect(code).not.toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ msg: 'buffered line', mode: 'throw' });
  });

  it('writes a lone line without waiting for more lines or for exit', async () => {
    const { stdout, code } = await run('wait');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ msg: 'buffered line', mode: 'wait' });
  });
});
