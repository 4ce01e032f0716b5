import type { Redis } from 'ioredis';

/**
 * A Lua script a feature declares once, next to the code that relies on it. It runs as an
 * ioredis custom command (defineCommand): EVALSHA, with the script loaded by EVAL the first
 * time on each connection and again after NOSCRIPT (a restarted or flushed server).
 */
export interface LuaScript {
  /** The command name on the client: unique in the app, never a Redis command's name. */
  readonly name: string;
  /** How many of a call's arguments are keys (KEYS), the rest being ARGV. */
  readonly numberOfKeys: number;
  readonly lua: string;
}

export function luaScript(name: string, numberOfKeys: number, lua: string): LuaScript {
  if (!/^[a-z][A-Za-z0-9]*$/.test(name))
    throw new Error(`Lua script name ${name} must be camelCase`);
  return Object.freeze({ name, numberOfKeys, lua });
}

/**
 * Deletes KEYS[1] only while it holds ARGV[1] (a token): only the owner frees a lock or a
 * marker, so a holder whose key expired cannot free its successor's. Returns 1 if deleted.
 */
export const DELETE_IF_OWNED = luaScript(
  'pgwDeleteIfOwned',
  1,
  `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`,
);

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Scripts defined on each client, by name: defined once, and one text per name. */
const definedOn = new WeakMap<Redis, Map<string, string>>();

/** Runs script on client, defining it there on first use. */
export function runLuaScript(
  client: Redis,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  if (keys.length !== script.numberOfKeys)
    throw new Error(`Lua script ${script.name} takes ${script.numberOfKeys} keys`);
  let defined = definedOn.get(client);
  if (!defined) definedOn.set(client, (defined = new Map()));
  const lua = defined.get(script.name);
  if (lua === undefined) {
    if (script.name in client) throw new Error(`Lua script ${script.name} would shadow a command`);
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    defined.set(script.name, script.lua);
  } else if (lua !== script.lua) {
    throw new Error(`Two Lua scripts are named ${script.name}`);
  }
  const command = (client as unknown as Record<string, ScriptCommand>)[script.name];
  return command.call(client, ...keys, ...args);
}
