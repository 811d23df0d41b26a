// The exponential moving average with bias correction that fastai shows as train_loss.

export class SmoothedValue {
  private average = 0;
  private count = 0;

  /** beta: weight of the past; fastai's Recorder uses 0.98. */
  constructor(readonly beta = 0.98) {}

  add(value: number): void {
    this.count += 1;
    this.average = this.beta * this.average + (1 - this.beta) * value;
  }

  /** The debiased average: average / (1 - beta^count). */
  get value(): number {
    return this.count === 0 ? Number.NaN : this.average / (1 - this.beta ** this.count);
  }

  reset(): void {
    this.average = 0;
    this.count = 0;
  }
}
