/** What the bench orchestrator hands its runner processes (runner.ts), and what they hand back. */

/** `floor`: a bare SDK GetItemCommand; `transport_floor`: a bare GetItem the authorizer's way. */
export type Target = 'floor' | 'transport_floor' | 'authorizer';

export const TARGETS: readonly Target[] = ['floor', 'transport_floor', 'authorizer'];

export interface BenchCase {
  readonly name: string;
  /** Which bundle handles it. */
  readonly target: Target;
  readonly event: unknown;
  /** What the handler must answer; a wrong answer stops the bench (a fast wrong answer is no result). */
  readonly expect: 'found' | 'missing' | 'allow' | 'deny';
}

export interface BenchPlan {
  readonly bundles: Readonly<Record<Target, string>>;
  readonly cases: readonly BenchCase[];
  readonly warmup: number;
  readonly iterations: number;
  /** Where the orchestrator reports its request counters (count mode). */
  readonly countersUrl?: string;
}

export interface CaseTiming {
  readonly wallUs: number[];
  /** CPU time (user + system) of the runner process per call, in microseconds, summed. */
  readonly cpuUsTotal: number;
}

export interface CaseCounts {
  readonly ddb: number;
  readonly kms: number;
  readonly calls: number;
  readonly logBytes: number;
}

/** Orchestrator to a warm runner: run one round (timed or warm-up), or report and exit. */
export type WarmMessage =
  | { readonly kind: 'round'; readonly index: number; readonly timed: boolean }
  | { readonly kind: 'finish' };

export type WarmReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done' }
  | { readonly kind: 'timings'; readonly timings: Record<string, CaseTiming> };
