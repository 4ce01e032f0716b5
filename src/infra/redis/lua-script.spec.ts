import { luaScript, runLuaScript } from './lua-script.js';
import type { Redis } from 'ioredis';

/** Records defineCommand calls; a defined command answers with its arguments. */
function fakeClient(): { client: Redis; defined: string[] } {
  const defined: string[] = [];
  const client = {
    get: () => Promise.resolve(null),
    defineCommand(name: string, definition: { numberOfKeys: number; lua: string }) {
      defined.push(`${name}/${definition.numberOfKeys}`);
      (this as Record<string, unknown>)[name] = (...args: unknown[]) => Promise.resolve(args);
    },
  };
  return { client: client as unknown as Redis, defined };
}

describe('Lua scripts', () => {
  it('defines a script on a client once, then runs it with its keys and arguments', async () => {
    const { client, defined } = fakeClient();
    const script = luaScript('pgwSpecOnce', 2, 'return 1');
    expect(await runLuaScript(client, script, ['k1', 'k2'], [1, 'a'])).toEqual([
      'k1',
      'k2',
      1,
      'a',
    ]);
    await runLuaScript(client, script, ['k1', 'k2'], [2]);
    expect(defined).toEqual(['pgwSpecOnce/2']);
    const other = fakeClient();
    await runLuaScript(other.client, script, ['k1', 'k2'], []);
    expect(other.defined).toEqual(['pgwSpecOnce/2']);
  });

  it('refuses two texts under one name, a command name, and a wrong number of keys', () => {
    const { client } = fakeClient();
    runLuaScript(client, luaScript('pgwSpecTwice', 1, 'return 1'), ['k'], []);
    expect(() => runLuaScript(client, luaScript('pgwSpecTwice', 1, 'return 2'), ['k'], [])).toThrow(
      /Two Lua scripts are named pgwSpecTwice/,
    );
    expect(() => runLuaScript(client, luaScript('get', 1, 'return 1'), ['k'], [])).toThrow(
      /would shadow a command/,
    );
    expect(() => runLuaScript(client, luaScript('pgwSpecKeys', 2, 'return 1'), ['k'], [])).toThrow(
      /takes 2 keys/,
    );
    expect(() => luaScript('pgw-bad', 1, 'return 1')).toThrow(/camelCase/);
  });
});
