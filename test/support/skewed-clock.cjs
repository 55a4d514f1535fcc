// Preloaded into a worker process (NODE_OPTIONS=--require …) to shift its clock by LOA_TEST_CLOCK_SKEW_MS, as on a
// machine whose clock is wrong: `Date.now()` and `new Date()` move; the databases' clocks and Redis's do not.
const skew = Number(process.env.LOA_TEST_CLOCK_SKEW_MS) || 0;
if (skew) {
  const RealDate = Date;
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + skew);
      else super(...args);
    }
    static now() {
      return RealDate.now() + skew;
    }
  }
  globalThis.Date = SkewedDate;
}
