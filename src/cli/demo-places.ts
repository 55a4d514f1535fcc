/** The demo's own places, beside the real ones: its fictitious officers never write into LOA_DATABASE_URL's database. */
export const DEMO_DATABASE = './data/demo.db';
export const DEMO_EXPORT_DIR = './exports/demo';
/** The demo worker's JSON log: the demo's own output is its Vietnamese steps only. */
export const DEMO_WORKER_LOG = './data/demo-worker.log';
