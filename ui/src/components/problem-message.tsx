import type { GatewayProblem } from '../gateway/problems';

/** An error as a status line that screen readers announce, with a retry where one can help. */
export function ProblemMessage({
  problem,
  onRetry,
}: {
  problem: GatewayProblem;
  onRetry?: () => void;
}) {
  return (
    <div className="problem" role="alert" data-kind={problem.kind}>
      <p>{problem.describe()}</p>
      {onRetry && problem.kind !== 'wrong-key' && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
