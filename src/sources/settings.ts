import { privateAddressesAllowed } from '../outbound/address-guard';
/**
 * Limits Loa keeps when it reads other sites' feeds. Read when used (not at load), so a test or a drill can change
 * them through the environment.
 */
function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const sourceSettings = {
  /** LOA_SOURCES_TIMEOUT_MS: the whole fetch (every redirect hop and the body) must be done within this. Default 20 s. */
  get timeoutMs() {
    return fromEnv('LOA_SOURCES_TIMEOUT_MS', 20_000);
  },
  /** LOA_SOURCES_MAX_BYTES: a feed body larger than this is refused while it streams in. Default 5 MB. */
  get maxBytes() {
    return fromEnv('LOA_SOURCES_MAX_BYTES', 5 * 1024 * 1024);
  },
  /** Redirect hops followed before giving up. */
  maxRedirects: 5,
  /** LOA_SOURCES_MAX_NEW: at most this many new entries become drafts in one poll; the rest are skipped and reported. Default 20. */
  get maxNewPerPoll() {
    return fromEnv('LOA_SOURCES_MAX_NEW', 20);
  },
  /** LOA_SOURCES_EVERY_MIN: how often a source is polled unless `--moi` says otherwise. Default 30 minutes. */
  get everyMinutes() {
    return fromEnv('LOA_SOURCES_EVERY_MIN', 30);
  },
  /** How often the job scheduler polls a source; LOA_SOURCES_POLL_EVERY_MS overrides every source's interval (drills and tests only). */
  pollEveryMs(source: { everyMinutes: number }): number {
    return fromEnv('LOA_SOURCES_POLL_EVERY_MS', source.everyMinutes * 60_000);
  },
  /**
   * LOA_SOURCES_ALLOW_PRIVATE=1: allow feeds on loopback, private and link-local addresses. Off by default, so a
   * source cannot make Loa reach into the office network or the machine it runs on; tests turn it on for their
   * local feed server. LOA_OUTBOUND_ALLOW_PRIVATE=1 allows it for every guarded request (feeds and images).
   */
  get allowPrivate() {
    return process.env.LOA_SOURCES_ALLOW_PRIVATE === '1' || privateAddressesAllowed();
  },
  /** How long one poll holds a source: no other worker or `loa sources poll` polls it meanwhile. */
  get leaseMs() {
    return this.timeoutMs * 3;
  },
};
