import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useCallback, useEffect, useState } from 'react';
import { asProblem, type GatewayProblem } from './problems';
import type { Answer, GatewaySession } from './session';

interface Settled<T> {
  /** Which request this settles (variables and reload count). */
  key: string;
  answer?: Answer<T>;
  problem?: GatewayProblem;
}

export interface Operation<T> {
  /** The last answer, kept while the next one loads (paging shows the old page meanwhile). */
  answer?: Answer<T>;
  /** Why the current request failed. */
  problem?: GatewayProblem;
  loading: boolean;
  reload(): void;
}

/**
 * Runs a typed query whenever its variables change (or on reload) and keeps what it answered;
 * a late answer to an older request is dropped. onProblem hears every failure (the app signs
 * out on a refused key).
 */
export function useOperation<TResult, TVariables>(
  session: GatewaySession,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  onProblem?: (problem: GatewayProblem) => void,
): Operation<TResult> {
  const [reloads, setReloads] = useState(0);
  const [settled, setSettled] = useState<Settled<TResult>>({ key: '' });
  const [lastAnswer, setLastAnswer] = useState<Answer<TResult>>();
  // The request's identity is its variables' value (not the object, new at every render) and
  // the reload count; the effect reads the variables back from it.
  const key = `${JSON.stringify(variables)}#${reloads}`;

  useEffect(() => {
    let current = true;
    const parsed = JSON.parse(key.slice(0, key.lastIndexOf('#'))) as TVariables;
    session.run(document, parsed).then(
      (answer) => {
        if (!current) return;
        setSettled({ key, answer });
        setLastAnswer(answer);
      },
      (error: unknown) => {
        if (!current) return;
        const problem = asProblem(error);
        setSettled({ key, problem });
        onProblem?.(problem);
      },
    );
    return () => {
      current = false;
    };
  }, [session, document, key, onProblem]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const done = settled.key === key;
  return {
    answer: done ? (settled.answer ?? lastAnswer) : lastAnswer,
    problem: done ? settled.problem : undefined,
    loading: !done,
    reload,
  };
}
