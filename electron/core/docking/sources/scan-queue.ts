// Scans must not overlap (two scans diffing the same state would report a
// volume twice), and a burst of triggers (fs.watch, hotplug, the interval,
// an explicit rescan) should cost one extra scan, not one each. A request
// made while a scan runs is answered by the next scan, which every request
// made in the meantime shares.
export class ScanQueue {
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(
    private readonly scan: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Resolves after a scan that started after this call (never rejects: failures go to onError). */
  request(): Promise<void> {
    if (this.next) return this.next;
    if (!this.current) return this.begin();
    this.next = this.current.then(() => {
      this.next = null;
      return this.begin();
    });
    return this.next;
  }

  /** Resolves when no scan is running or queued. */
  async idle(): Promise<void> {
    while (this.current || this.next) await (this.next ?? this.current);
  }

  private begin(): Promise<void> {
    const run: Promise<void> = this.scan()
      .catch((err: unknown) => this.onError(err))
      .then(() => {
        if (this.current === run) this.current = null;
      });
    this.current = run;
    return run;
  }
}
