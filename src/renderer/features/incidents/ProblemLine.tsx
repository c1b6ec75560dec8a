import { describeCode } from '../../api/errors';
import type { Problem } from './useIncidents';

/** A reason code, its sentence, and the engine's own message when it says more. */
export function ProblemLine({ problem, testId }: { problem: Problem; testId: string }) {
  const sentence = describeCode(problem.code);
  const detail = problem.message && problem.message !== sentence ? problem.message : null;
  return (
    <div className="form-error" data-testid={testId} data-code={problem.code} role="alert">
      <span className="reason-code">{problem.code}</span> {sentence}
      {detail && (
        <div className="reason-detail" title={detail}>
          {detail}
        </div>
      )}
    </div>
  );
}
