import fs from 'node:fs';
import path from 'node:path';

import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/setup.sh installs it); LOA_TEST_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.LOA_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../artifacts');

/** Headless Chromium as the machine allows it: no sandbox for root, no calls home (the network is closed). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium không có ở ${CHROMIUM}: chạy bash scripts/setup.sh test (cài gói chromium)`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone's viewport (360 px wide, as the desk must stay readable at). */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Signs `name` in on the desk's form (the desk sends a person who is not signed in there) and waits for the calendar. */
export async function signInToDesk(page: Page, base: string, name: string, password: string): Promise<void> {
  await page.goto(`${base}/desk/lich`);
  await page.getByLabel('Tên đăng nhập').fill(name);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/desk\/lich/);
}
