import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium, headless, with nothing reaching beyond loopback. */
export function useBrowser() {
  const ref: { browser: Browser } = {} as never;
  beforeAll(async () => {
    ref.browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-default-apps',
        '--disable-domain-reliability',
      ],
    });
  });
  afterAll(async () => {
    await ref.browser?.close();
  });
  return ref;
}
