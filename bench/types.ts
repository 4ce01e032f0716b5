// Shapes shared by the orchestrator, the benches and the report.

/** One line of the results table. */
export interface Row {
  bench: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: reported only, no target to meet. */
  met: boolean | null;
}

export interface BenchContext {
  /** Rounds per comparison; every figure is the median over them. */
  rounds: number;
  /** Extra lines for the details section (per-round figures, counts). */
  note(line: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<Row[]>;
}
